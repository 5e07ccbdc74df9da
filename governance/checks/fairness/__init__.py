"""The `fairness` check: per-group rates from one pass of confusion counts, compared the way
NYC Local Law 144, the EEOC four-fifths rule and fairlearn compare them.

Agreement with fairlearn. Every rate is `successes / trials` on integer counts, the same single
division fairlearn's `MetricFrame` (through scikit-learn) performs, so defined values agree to
the last bit; between-group difference (max - min), ratio (min / max), and the `to_overall`
summaries use fairlearn's expressions, and demographic parity, equal opportunity and equalized
odds (worst case and mean) follow fairlearn's definitions (tested in `tests/fairness`).

Where we deliberately differ from fairlearn, and why:
- A rate whose denominator is zero is *undefined, with the reason*, not fairlearn's 0.0
  (true/false positive/negative rates of a group with no actual positives or negatives;
  precision with no predicted positives), nor NaN. A 0.0 there reads as "never selects
  qualified people" and drives an equalized-odds ratio to 0 spuriously. Undefined groups are
  left out of min/max, and a gating rule reports them as "cannot be judged", never as passing.
- A between-group ratio whose highest rate is 0 is undefined (fairlearn: NaN); a `to_overall`
  ratio with an overall rate of 0 is undefined (fairlearn: inf/NaN coerced in its minimum).
- Missing or unknown sensitive values (NULL, empty, NaN, or `unknown_values`) are counted and
  reported as their own row, not compared; fairlearn raises `ValueError`.
- A missing outcome (NULL; NaN or ±infinity; an empty text) in the label, the prediction or the
  score a rule uses stops the check (`missing_outcomes: error`) or leaves the row out of every
  rate and of the median score, counted (`exclude`); fairlearn counts a NaN prediction as "not
  selected", and an infinite score would count as above any threshold or median.
- Groups under `min_group_size` (by default 30 in a rule that gates on a bare threshold, else 1)
  in a rate's own denominator (actual positives for a true positive rate, ...), or under
  `min_share` of the rows (LL144's 2%), are left out of that rate's comparison and disclosed
  with their count and rate, in every report format; fairlearn compares every group.
- Empty intersections are listed as empty (fairlearn: a NaN row in `by_group`).
- The impact ratio is each group's rate over the highest compared group's rate (LL144, EEOC),
  which is not fairlearn's `ratio(method="to_overall")` (that inverts ratios above 1). Per-group
  `to_overall` values in the tables are plain `rate / overall` (or `rate - overall`); the
  fairlearn summary `ratio_to_overall` is reported beside them with fairlearn's inversion.
- The LL144 scoring rate (share above the full sample's median score) has no fairlearn
  counterpart; the median is DuckDB's (the mean of the two middle values for an even count),
  over the finite scores of the rows counted.
- A nested column (STRUCT, LIST, MAP, ARRAY, UNION) is refused as a sensitive feature, label,
  prediction or score.
"""
