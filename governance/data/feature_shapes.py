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
    for start in range(0, len(numeric), _PER_STATEMENT):
        shapes |= _numeric_shapes(store, name, numeric[start : start + _PER_STATEMENT], bins)
    return {feature.column: shapes[feature.column] for feature in features}


_PER_STATEMENT = 64
"""Numeric features counted per value in one statement (a bounded UNION ALL)."""


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
    quantiles = ", ".join(
        "min(v) FILTER (WHERE below >= ceil(finite::DOUBLE * ?::DOUBLE))" for _ in levels
    )
    # One GROUP BY per feature, as one UNION ALL: cheaper in DuckDB than GROUPING SETS over
    # the same columns (each grouping set copies every row's columns).
    counts = " UNION ALL ".join(
        f"SELECT {index} AS m, v, count(*) AS n FROM "
        f"(SELECT CAST({quote_identifier(f.column)} AS DOUBLE) AS v FROM {{table}}) "
        "WHERE v IS NOT NULL GROUP BY v"
        for index, f in enumerate(features)
    )

    def sql(table: str) -> str:
        return f"""
            WITH per_value AS ({counts.format(table=table)}),
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
        distinct, edges = found.get(index, (0, ()))
        kept = tuple(sorted({float(e) for e in edges if e is not None})) if distinct > bins else ()
        shapes[feature.column] = FeatureShape(distinct=distinct, edges=kept)
    return shapes
