"""The SQL of the proxy table: one pass for the numeric features' quantile edges and the text
features' number of values, then one pass that counts every (feature, sensitive feature) pair
with GROUPING SETS. Only the contingency cells (bins x groups per pair) reach Python.

Column names reach the SQL only through `quote_identifier`, bin edges only as `?` parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from governance.checks.fairness.queries import missing_value
from governance.data.column_types import is_floating
from governance.data.store import DatasetStore, quote_identifier


@dataclass(frozen=True)
class FeatureColumn:
    column: str
    data_type: str
    numeric: bool


@dataclass(frozen=True)
class FeatureShape:
    """The approximate number of distinct values of a feature and, for a numeric feature with
    more of them than bins, its quantile edges (distinct, ascending); a feature without edges
    is grouped by its values."""

    distinct: int
    edges: tuple[float, ...] = ()

    @property
    def binned(self) -> bool:
        return bool(self.edges)


def feature_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...], bins: int
) -> dict[str, FeatureShape]:
    """One scan: the approximate distinct count of each feature, and the `bins`-quantile edges
    of each numeric one (exact, `quantile_disc`, over its finite values), kept when it has more
    distinct values than bins (fewer are grouped by value, each its own bin)."""
    if not features:
        return {}
    levels = [i / bins for i in range(1, bins)]
    aggregates = []
    for feature in features:
        quoted = quote_identifier(feature.column)
        # Approximate is enough to choose between binning, grouping by value and refusing;
        # a NULL is not counted, a NaN or a blank text may be (one value more).
        aggregates.append(f"approx_count_distinct({quoted})")
        if feature.numeric:
            finite = f" FILTER (WHERE isfinite({quoted}))" if is_floating(feature.data_type) else ""
            aggregates.append(f"quantile_disc({quoted}, {levels!r}){finite}")
        else:
            aggregates.append("NULL")
    row = store.query(name, lambda table: f"SELECT {', '.join(aggregates)} FROM {table}")[0]
    shapes = {}
    for index, feature in enumerate(features):
        distinct, quantiles = int(row[2 * index] or 0), row[2 * index + 1]
        edges: tuple[float, ...] = ()
        if feature.numeric and distinct > bins:
            edges = tuple(sorted({float(edge) for edge in quantiles or ()}))
        shapes[feature.column] = FeatureShape(distinct=distinct, edges=edges)
    return shapes


def pair_cells(
    store: DatasetStore,
    name: str,
    features: tuple[FeatureColumn, ...],
    shapes: dict[str, FeatureShape],
    sensitive: tuple[str, ...],
    together: frozenset[str],
) -> list[tuple[Any, ...]]:
    """Rows counted per (feature value or bin, sensitive value) of every pair, in one scan.

    Each row: the GROUPING() bitmask over the features then the sensitive features (a clear
    bit: grouped by that column), each feature's bin (NULL where missing) or raw value, each
    sensitive value (raw), and the count; a column not grouped in a row is NULL there.

    A feature in `together` is counted with every sensitive feature at once (one grouping set,
    whose cells are then summed per sensitive feature), the others with each sensitive feature
    apart: one set per pair costs a hash table per pair (2.5x the time for 20 features and 3
    sensitive ones), so pairs are grouped whenever the cells stay few."""
    select: list[str] = []
    parameters: list[object] = []
    for index, feature in enumerate(features):
        expression, edge_parameters = _binned(feature, shapes[feature.column])
        select.append(f"{expression} AS f{index}")
        parameters.extend(edge_parameters)
    select.extend(
        f"{quote_identifier(column)} AS s{index}" for index, column in enumerate(sensitive)
    )
    aliases = [f"f{i}" for i in range(len(features))] + [f"s{j}" for j in range(len(sensitive))]
    every = ", ".join(f"s{j}" for j in range(len(sensitive)))
    sets = ", ".join(
        f"(f{i}, {every})"
        if feature.column in together
        else ", ".join(f"(f{i}, s{j})" for j in range(len(sensitive)))
        for i, feature in enumerate(features)
    )

    def sql(table: str) -> str:
        return f"""
            WITH source AS (SELECT {", ".join(select)} FROM {table})
            SELECT GROUPING({", ".join(aliases)}), {", ".join(aliases)}, count(*)
            FROM source GROUP BY GROUPING SETS ({sets})
        """

    return store.query(name, sql, parameters)


def _binned(feature: FeatureColumn, shape: FeatureShape) -> tuple[str, list[object]]:
    """A binned feature's bin number (the first edge it does not exceed; past the last, one
    more; NULL where the value is missing), or the feature's raw value: which raw values are
    missing (a blank text, a NaN) is decided on the counted cells, not per row."""
    quoted = quote_identifier(feature.column)
    if not shape.binned:
        return quoted, []
    missing = missing_value(feature.column, feature.data_type)
    value = f"CAST({quoted} AS DOUBLE)"
    steps = " ".join(f"WHEN {value} <= ? THEN {k}" for k in range(len(shape.edges)))
    return (
        f"CASE WHEN {missing} THEN NULL {steps} ELSE {len(shape.edges)} END",
        list(shape.edges),
    )
