"""DuckDB's SQL for `DataEngine.feature_shapes`, the proxy table's pre-pass: the numeric
features' quantile edges and the text features' number of values (the tables themselves are
counted by `contingency_counts`).

Column names reach the SQL only through `quote_identifier`, quantile levels only as `?`
parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.data.engine import FeatureColumn, FeatureShape
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    from governance.data.store import DatasetStore


def feature_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...], bins: int
) -> dict[str, FeatureShape]:
    """The number of distinct values of each feature, and the `bins`-quantile edges of each
    numeric one (exact, equal to `quantile_disc` over its finite values), kept when it has more
    distinct values than bins (fewer are grouped by value, each its own bin).

    Two scans: a numeric feature's quantiles come from its counts per value (one small hash
    table each, where `quantile_disc` sorted every value of every feature: 3x the time on the
    benchmark), which also give its exact number of values; a text feature's number of values
    is HyperLogLog's estimate, enough to choose between grouping by value and refusing."""
    numeric = tuple(f for f in features if f.numeric)
    shapes = _text_shapes(store, name, tuple(f for f in features if not f.numeric))
    for start in range(0, len(numeric), _GROUPING_COLUMNS):
        shapes |= _numeric_shapes(store, name, numeric[start : start + _GROUPING_COLUMNS], bins)
    return {feature.column: shapes[feature.column] for feature in features}


_GROUPING_COLUMNS = 63
"""DuckDB's GROUPING() takes fewer than 64 columns."""


def _text_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...]
) -> dict[str, FeatureShape]:
    if not features:
        return {}
    # A NULL is not counted, a blank text may be (one value more).
    aggregates = ", ".join(f"approx_count_distinct({quote_identifier(f.column)})" for f in features)
    row = store.query(name, lambda table: f"SELECT {aggregates} FROM {table}")[0]
    counts = zip(features, row, strict=True)
    return {feature.column: FeatureShape(distinct=int(n or 0)) for feature, n in counts}


def _numeric_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...], bins: int
) -> dict[str, FeatureShape]:
    """Per feature: its rows counted per value (every value as DOUBLE: NaN and infinities are
    values, NULL is not), then the value at each quantile level `q` taken where the running
    count over its finite values reaches ceil(n * q), as `quantile_disc` does."""
    levels = [i / bins for i in range(1, bins)]
    aliases = [f"f{i}" for i in range(len(features))]
    width = len(features)
    value = " ".join(
        f"WHEN {(1 << width) - 1 - (1 << (width - 1 - i))} THEN {alias}"
        for i, alias in enumerate(aliases)
    )
    quantiles = ", ".join(
        "min(v) FILTER (WHERE below >= ceil(finite::DOUBLE * ?::DOUBLE))" for _ in levels
    )
    source = ", ".join(
        f"CAST({quote_identifier(f.column)} AS DOUBLE) AS {alias}"
        for f, alias in zip(features, aliases, strict=True)
    )

    def sql(table: str) -> str:
        return f"""
            WITH counted AS (
                SELECT GROUPING({", ".join(aliases)}) AS m, {", ".join(aliases)}, count(*) AS n
                FROM (SELECT {source} FROM {table})
                GROUP BY GROUPING SETS ({", ".join(f"({a})" for a in aliases)})
            ),
            per_value AS (SELECT m, CASE m {value} END AS v, n FROM counted),
            running AS (
                SELECT m, v, sum(n) OVER (PARTITION BY m ORDER BY v ROWS UNBOUNDED PRECEDING)
                    AS below, sum(n) OVER (PARTITION BY m) AS finite
                FROM per_value WHERE isfinite(v)
            )
            SELECT m, distinct_values, {quantiles}
            FROM (SELECT m, count(v) AS distinct_values FROM per_value GROUP BY m)
            LEFT JOIN running USING (m) GROUP BY m, distinct_values
        """

    found = {int(row[0]): (int(row[1]), row[2:]) for row in store.query(name, sql, levels)}
    shapes = {}
    for index, feature in enumerate(features):
        distinct, edges = found.get((1 << width) - 1 - (1 << (width - 1 - index)), (0, ()))
        kept = tuple(sorted({float(e) for e in edges if e is not None})) if distinct > bins else ()
        shapes[feature.column] = FeatureShape(distinct=distinct, edges=kept)
    return shapes
