"""The Spark engine's candidate selection (`DataEngine.candidate_values`), one pass per column.

The column's values (as text cut at the maximum length) are grouped first, so the patterns and
the seeded hash run once per distinct value rather than once per row, and one aggregate over the
groups gives everything the PII scan asks of the column: its exact number of distinct values
(`distinct_count`, which the scan asks next), the candidates' rows and distinct values, and the
candidates whose seeded hash is under a threshold, from which the driver takes the sample. The
grouping shuffles the column's distinct values once, as counting them exactly must anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from governance.data.engine import CandidateValues, ColumnProfile
from governance.data.hash_thresholds import threshold_for
from governance.data.spark import expressions as sql
from governance.data.spark.candidate_match import candidate_condition
from governance.data.spark.seeded_sample import collected_below, hashed, in_hash_order

Run = Callable[[str, Mapping[str, Any]], list[tuple[Any, ...]]]
"""Runs an aggregate statement with its named parameters and returns its rows."""


@dataclass(frozen=True)
class CandidateScan:
    candidates: CandidateValues
    distinct: int
    """The column's distinct non-null values as text cut at the maximum length, exactly."""


def scan_candidates(
    run: Run,
    view: str,
    profile: ColumnProfile,
    entities: tuple[str, ...],
    *,
    size: int,
    seed: int,
    max_length: int,
) -> CandidateScan:
    """The candidates of the profiled column for `entities` (those with a candidate pattern):
    all of them when there are at most `size`, else the `size` with the smallest seeded hash.

    The first pass keeps the candidates under a threshold that should leave about four times
    `size + 1` of them (from the profile's estimate of the distinct values); when it leaves
    fewer than the sample needs and there are more candidates, a pass with the threshold
    raised from the exact count follows (rare but for a column whose candidates are a small
    share of its values). At most the values under the threshold reach the driver."""
    condition, args = candidate_condition(entities, "v")
    text = sql.as_text(profile.column, profile.data_type, max_length)
    grouped = (
        f"SELECT v, count(*) AS n FROM (SELECT {text} AS v FROM {view} "
        f"WHERE {sql.quote(profile.column)} IS NOT NULL) GROUP BY v"
    )
    matched = hashed(f"SELECT v, n, {condition} AS m FROM ({grouped})", seed, where="m")

    def below(share: float) -> tuple[int, int, int, list[str]]:
        ((distinct, candidates, rows, values),) = run(
            "SELECT count(*), count_if(m), coalesce(sum(CASE WHEN m THEN n END), 0), "
            f"{collected_below(threshold_for(share))} FROM ({matched})",
            args,
        )
        return int(distinct), int(candidates), int(rows), list(values)

    distinct, candidates, rows, found = below(4 * (size + 1) / max(profile.distinct_estimate, 1))
    share = 4 * (size + 1) / max(candidates, 1)
    while len(found) <= size and len(found) < candidates:
        _, _, _, found = below(share)
        share *= 16
    if len(found) > size:
        sample = tuple(in_hash_order(found, seed)[:size])
        values = CandidateValues(sample, False, profile.non_null, rows, candidates)
    else:
        values = CandidateValues(tuple(sorted(found)), True, profile.non_null, rows, candidates)
    return CandidateScan(values, distinct)
