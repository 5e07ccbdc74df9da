"""What the fairness check reports: unknown groups counted, small groups disclosed but not
compared, thresholds with and without significance, every compare mode, scoring rates,
intervals and tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from scipy.stats import binomtest, chi2_contingency

from governance.checks.fairness.evidence import GroupStatus
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.fairness.statistics import two_proportion_test, wilson_interval
from governance.vocabulary.notes import NoteKind
from tests.fairness.conftest import evidence_of, run_fairness


def _groups(frame: pd.DataFrame, **rule) -> dict:
    report = run_fairness(frame, **rule)
    return {g.group: g for g in evidence_of(report).feature_sets[0].rates[0].groups}


def _selected(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A frame with, per race, (selected, rows)."""
    parts = [
        pd.DataFrame({"race": race, "p": [1] * selected + [0] * (rows - selected)})
        for race, (selected, rows) in counts.items()
    ]
    return pd.concat(parts, ignore_index=True).assign(y=0)


def test_unknown_and_missing_sensitive_values_are_counted_not_compared():
    frame = pd.DataFrame(
        {
            "sex": ["F", "M", None, "", "Unknown", " unknown ", "F", "M"] * 5,
            "y": 0,
            "p": [1, 0, 1, 1, 0, 1, 0, 1] * 5,
        }
    )
    groups = _groups(frame, metric="selection_rate", sensitive_features=["sex"])
    unknown = groups["sex=(unknown)"]
    assert (unknown.status, unknown.rows, unknown.successes) == (GroupStatus.UNKNOWN, 20, 15)
    assert unknown.impact_ratio is None
    assert {g for g, row in groups.items() if row.status is GroupStatus.COMPARED} == {
        "sex=F",
        "sex=M",
    }


def test_group_under_the_minimum_share_is_disclosed_with_count_and_rate():
    frame = _selected({"A": (50, 100), "B": (40, 100), "C": (0, 3)})
    groups = _groups(
        frame,
        metric="selection_rate",
        sensitive_features=["race"],
        min_share=0.02,
        min=0.8,
        min_group_size=1,
    )
    small = groups["race=C"]
    assert small.status is GroupStatus.EXCLUDED
    assert (small.rows, small.rate, small.impact_ratio, small.failing) == (3, 0.0, None, False)
    assert small.exclusion == "1.48% of the rows, under the minimum share of 2.00%"
    assert groups["race=B"].impact_ratio == 0.8
    assert not groups["race=B"].failing


def test_group_under_the_minimum_size_is_excluded():
    frame = _selected({"A": (50, 100), "B": (5, 20)})
    groups = _groups(
        frame, metric="selection_rate", sensitive_features=["race"], min_group_size=30, min=0.8
    )
    assert groups["race=B"].exclusion == "20 rows, under the minimum group size of 30"


def test_impact_ratio_below_four_fifths_fails_for_that_group_only():
    frame = _selected({"A": (50, 100), "B": (45, 100), "C": (30, 100)})
    report = run_fairness(frame, metric="selection_rate", sensitive_features=["race"], min=0.8)
    assert [(f.scope.group, f.scope.dataset) for f in report.findings] == [("race=C", "data")]
    assert report.findings[0].message.startswith(
        "race=C: selection rate impact ratio 0.600 is below the minimum 0.8 (rate 0.300 over "
        "100 rows, against race=A; p = "
    )


def test_required_significance_spares_a_small_group_and_says_why():
    frame = _selected({"A": (30, 60), "B": (3, 8)})
    rule = {"metric": "selection_rate", "sensitive_features": ["race"], "min": 0.8}
    assert len(run_fairness(frame, **rule).findings) == 1
    report = run_fairness(frame, require_significance=True, **rule)
    assert report.findings == ()
    row = {g.group: g for g in evidence_of(report).feature_sets[0].rates[0].groups}["race=B"]
    assert row.test == "fisher-exact" and row.small_sample
    assert row.note and row.note.startswith("outside the threshold but not significant (p = ")


def test_a_significant_shortfall_within_four_fifths_passes_with_a_note_saying_so():
    # 29 CFR 1607.4(D): a difference smaller than four-fifths may still be adverse impact when
    # it is significant; the rule does not judge it, and must not let a pass hide it.
    frame = _selected({"A": (500, 1000), "B": (420, 1000), "C": (49, 100)})
    rule = {"metric": "selection_rate", "sensitive_features": ["race"], "min": 0.8}
    report = run_fairness(frame, require_significance=True, **rule)
    assert report.findings == ()
    rows = {g.group: g for g in evidence_of(report).feature_sets[0].rates[0].groups}
    assert not rows["race=B"].failing and rows["race=B"].p_value is not None
    p_value = f"{rows['race=B'].p_value:.3g}"
    assert rows["race=B"].note == (
        f"within the threshold, but the difference is significant (p = {p_value})"
    )
    assert rows["race=C"].note is None  # within the threshold, and not significant
    texts = [note.text for note in report.notes]
    assert (
        "1 group within the threshold but significantly different from race=A, which the "
        f"threshold does not judge: race=B (impact ratio 0.84, p = {p_value})"
    ) in texts


def test_to_reference_and_to_overall():
    frame = _selected({"A": (50, 100), "B": (20, 100)})
    ratio = _groups(
        frame,
        metric="selection_rate",
        sensitive_features=["race"],
        compare="to_reference",
        reference="B",
    )
    assert ratio["race=A"].compared == 0.5 / 0.2
    difference = _groups(
        frame,
        metric="selection_rate",
        sensitive_features=["race"],
        compare="to_overall",
        measure="difference",
        max=0.1,
    )
    assert difference["race=A"].compared == 0.5 - 0.35
    assert difference["race=A"].failing and not difference["race=B"].failing
    report = run_fairness(
        frame,
        metric="selection_rate",
        sensitive_features=["race"],
        compare="to_reference",
        reference="race=Z",
        min=0.8,
    )
    assert "reference group 'race=Z' is not among the compared groups" in report.findings[0].message


def test_scoring_rate_counts_scores_above_the_full_sample_median():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"race": rng.choice(["A", "B", "C"], 501), "score": rng.integers(0, 20, 501) / 4}
    )
    report = run_fairness(
        frame,
        {"score": "score", "prediction": None},
        metric="scoring_rate",
        sensitive_features=["race"],
    )
    evidence = evidence_of(report)
    median = float(np.median(frame["score"]))
    assert evidence.median_score == median
    groups = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}
    for race, part in frame.groupby("race"):
        assert groups[f"race={race}"].rate == (part["score"] > median).sum() / len(part)


def test_selection_by_score_and_threshold():
    frame = pd.DataFrame({"race": ["A", "B"] * 50, "score": np.linspace(0, 1, 100)})
    groups = _groups(
        frame,
        dataset={"prediction": None, "score": "score", "threshold": 0.5},
        metric="selection_rate",
        sensitive_features=["race"],
    )
    for race in "AB":
        part = frame[frame["race"] == race]
        assert groups[f"race={race}"].rate == (part["score"] >= 0.5).sum() / len(part)


def test_wilson_interval_and_two_proportion_test():
    interval = wilson_interval(8, 10, 0.95)
    assert interval is not None
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 0, 0.95) is None
    z = two_proportion_test(60, 200, 90, 200)
    assert z is not None and z.test == "z-test"
    expected = chi2_contingency([[60, 140], [90, 110]], correction=False).pvalue
    assert z.p_value == pytest.approx(expected, rel=1e-9)
    small = two_proportion_test(1, 6, 5, 7)
    assert small is not None and small.test == "fisher-exact"


@pytest.mark.parametrize("trials", [1, 3, 10, 37, 1000])
def test_a_wilson_interval_holds_its_rate_at_0_and_at_every_trial(trials):
    # at 10 of 10 the formula's upper end is 0.9999999999999999: the rate 1.0 fell outside it
    for successes in (0, trials):
        interval = wilson_interval(successes, trials, 0.95)
        reference = binomtest(successes, trials).proportion_ci(0.95, method="wilson")
        assert interval is not None
        assert interval.low <= successes / trials <= interval.high
        assert interval.low == pytest.approx(reference.low, abs=1e-15)
        assert interval.high == pytest.approx(reference.high, abs=1e-15)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"metric": "equalized_odds", "compare": "ratio_to_max"}, "between-group disparity"),
        ({"metric": "selection_rate", "reference": "A"}, "'reference' goes with"),
        ({"metric": "selection_rate", "min": 0.9, "max": 0.8}, "greater than 'max'"),
        ({"metric": "selection_rates"}, "Input should be"),
        ({"metric": "selection_rate", "metrics": ["accuracy"]}, "either 'metric' or"),
        ({"metric": "selection_rate", "min_share": 2}, "less than 1"),
    ],
)
def test_spec_mistakes(rule, message):
    with pytest.raises(ValidationError, match=message):
        FairnessSpec.model_validate({"dataset": "d", **rule})


def test_difference_findings_name_the_feature_set():
    frame = _selected({"A": (50, 100), "B": (20, 100)})
    report = run_fairness(
        frame,
        metric="demographic_parity",
        compare="difference",
        max=0.1,
        sensitive_features=["race"],
    )
    finding = report.findings[0]
    assert finding.scope.group == "race"
    assert finding.message.startswith(
        "demographic parity difference by race is 0.3, above the maximum 0.1 (lowest race=B, "
        "highest race=A; p = "
    )


def test_tables_and_charts():
    frame = _selected({"A": (50, 100), "B": (30, 100)})
    report = run_fairness(frame, metric="selection_rate", sensitive_features=["race"], min=0.8)
    evidence = evidence_of(report)
    (table,) = evidence.tables()
    assert table.title == "selection rate by race (data; overall 0.4; compared to race=A)"
    assert table.columns == (
        "group", "rows", "share", "rate", "95% CI", "impact ratio", "p-value", "result"
    )  # fmt: skip
    assert table.rows == (
        ("race=A", 100, 0.5, 0.5, "0.404–0.596", 1.0, None, "passes"),
        ("race=B", 100, 0.5, 0.3, "0.219–0.396", 0.6, "0.00389 (z)", "fails"),
    )  # no row for unknowns when there is none: said once, in a note
    assert [(n.kind, n.text) for n in report.notes] == [
        (NoteKind.DATA, "no row has a missing or unknown value of race")
    ]
    (chart,) = evidence.charts()
    assert [(bar.label, bar.value, bar.flagged) for bar in chart.bars] == [
        ("race=A", 0.5, False),
        ("race=B", 0.3, True),
    ]
    assert chart.reference == 0.8 * 0.5


def test_tables_name_the_compared_value_and_say_when_a_rule_only_reports():
    frame = _selected({"A": (50, 100), "B": (30, 100)})
    to_reference = evidence_of(
        run_fairness(
            frame,
            metric="selection_rate",
            sensitive_features=["race"],
            compare="to_reference",
            reference="B",
            measure="difference",
            min=-0.1,
        )
    )
    (table,) = to_reference.tables()
    assert table.columns[5:7] == ("impact ratio", "difference to reference")
    assert [row[6] for row in table.rows[:2]] == [0.2, 0.0]
    reporting = evidence_of(
        run_fairness(frame, metric="selection_rate", sensitive_features=["race"])
    )
    (table,) = reporting.tables()
    assert [row[-1] for row in table.rows[:2]] == ["reported", "reported"]


def test_groups_read_reported_under_a_disparity_rule_and_not_compared_without_a_reference():
    frame = _selected({"A": (50, 100), "B": (20, 100)})
    disparity = run_fairness(
        frame, metric="selection_rate", sensitive_features=["race"], compare="difference", max=0.1
    )
    group_table, disparity_table = evidence_of(disparity).tables()
    assert [row[-1] for row in group_table.rows[:2]] == ["reported", "reported"]
    assert disparity_table.rows[0][5] == "yes"  # the verdict is the disparity's
    missing = run_fairness(
        frame,
        metric="selection_rate",
        sensitive_features=["race"],
        compare="to_reference",
        reference="Z",
        min=0.8,
    )
    (table,) = evidence_of(missing).tables()
    assert {row[-1] for row in table.rows[:2]} == {
        "not compared: reference group 'Z' is not among the compared groups (absent, excluded, "
        "or its rate is undefined)"
    }
    assert missing.findings  # and the rule says it cannot be judged


def test_threshold_line_for_reference_and_overall_comparisons():
    frame = _selected({"A": (50, 100), "B": (30, 100)})
    rule = {"metric": "selection_rate", "sensitive_features": ["race"]}
    (chart,) = evidence_of(
        run_fairness(frame, compare="to_reference", reference="B", min=0.9, **rule)
    ).charts()
    assert (chart.reference, chart.reference_label) == (0.9 * 0.3, "0.9 x rate of race=B")
    (chart,) = evidence_of(
        run_fairness(frame, compare="to_overall", measure="difference", min=-0.05, **rule)
    ).charts()
    assert (chart.reference, chart.reference_label) == (0.4 - 0.05, "overall rate -0.05")


def test_undefined_rate_in_a_gating_rule_fails_as_cannot_be_judged():
    frame = pd.DataFrame(
        {
            "race": ["A"] * 80 + ["B"] * 40 + ["C"] * 80,  # 40 actual positives in A and C
            "y": [1, 0] * 40 + [0] * 40 + [1, 0] * 40,
            "p": [1] * 200,
        }
    )
    report = run_fairness(frame, metric="true_positive_rate", sensitive_features=["race"], min=0.8)
    assert [(f.scope.group, f.message) for f in report.findings] == [
        ("race=B", "race=B: true positive rate cannot be judged: no actual positives")
    ]


def _one_row_group() -> pd.DataFrame:
    return _selected({"A": (50, 100), "B": (45, 100), "C": (0, 1)})


def test_gating_rule_excludes_groups_under_thirty_rows_by_default():
    report = run_fairness(
        _one_row_group(), metric="selection_rate", sensitive_features=["race"], min=0.8
    )
    assert report.findings == ()
    evidence = evidence_of(report)
    assert evidence.min_group_size == 30
    small = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}["race=C"]
    assert small.status is GroupStatus.EXCLUDED
    assert (small.rows, small.rate) == (1, 0.0)  # still disclosed
    assert small.exclusion == "1 rows, under the minimum group size of 30"


@pytest.mark.parametrize(
    ("rule", "floor"),
    [
        ({"min": 0.8, "require_significance": True}, 1),  # the test weighs small groups
        ({}, 1),  # a report without a threshold lists every group
        ({"min": 0.8, "min_group_size": 1}, 1),  # asked for explicitly
        ({"min": 0.8, "require_significance": True, "min_group_size": 50}, 50),
    ],
)
def test_the_default_floor_is_one_unless_a_bare_threshold_gates(rule, floor):
    report = run_fairness(
        _one_row_group(), metric="selection_rate", sensitive_features=["race"], **rule
    )
    evidence = evidence_of(report)
    assert evidence.min_group_size == floor
    small = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}["race=C"]
    assert small.status is (GroupStatus.COMPARED if floor == 1 else GroupStatus.EXCLUDED)
    failing = [f.scope.group for f in report.findings]
    assert failing == (["race=C"] if rule.get("min_group_size") == 1 else [])


def test_statistics_are_bit_for_bit_scipy_stats_norm():
    """The interval and the z-test skip importing scipy.stats (slow) but must give exactly what
    `scipy.stats.norm` gives, so reports do not change by a digit."""
    import math

    from scipy.stats import norm

    for confidence in (0.8, 0.9, 0.95, 0.99, 0.999):
        z = float(norm.ppf(1 - (1 - confidence) / 2))
        for successes, trials in ((0, 1), (1, 3), (8, 10), (37, 120), (4_999, 10_000)):
            p = successes / trials
            z2n = z * z / trials
            centre = (p + z2n / 2) / (1 + z2n)
            half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
            expected = (max(0.0, centre - half), min(1.0, centre + half))
            interval = wilson_interval(successes, trials, confidence)
            assert interval is not None and (interval.low, interval.high) == expected
    for a, n_a, b, n_b in ((60, 200, 90, 200), (30, 100, 31, 100), (500, 1000, 20, 1000)):
        result = two_proportion_test(a, n_a, b, n_b)
        pooled = (a + b) / (n_a + n_b)
        spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
        expected_p = float(2 * norm.sf(abs((a / n_a - b / n_b) / spread)))
        assert result is not None and result.p_value == expected_p
