"""`DataEngine.proxy_counts` in Spark SQL, in three statements whose answers are aggregates:
every feature's exact number of values (and each numeric one's finite values), the numeric
features' quantile edges as order statistics at `quantile_ranks`, then every (feature, group
column) table in one GROUPING SETS scan. The answers equal the DuckDB engine's value for value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from governance.data.engine import (
    Cells,
    FeatureColumn,
    FeatureCounts,
    ProxyRequest,
    quantile_edges,
    quantile_ranks,
)
from governance.data.spark import expressions as sql
from governance.data.spark.engine import order_statistic

Rows = Callable[[str], list[tuple[Any, ...]]]
"""Runs an aggregate statement over the dataset's view and returns its rows."""


def proxy_counts(
    view: str, types: Mapping[str, str], request: ProxyRequest, rows: Rows
) -> dict[str, FeatureCounts]:
    features = request.features
    if not features:
        return {}
    distinct, finite = _distinct_counts(view, types, features, rows)
    binned = tuple(f for f in features if f.numeric and distinct[f.column] > request.bins)
    edges = _edges(view, types, binned, finite, request.bins, rows)
    counted = tuple(f for f in features if request.counts(f, distinct[f.column]))
    tables = _tables(view, types, counted, edges, request.groups, rows)
    return {
        f.column: FeatureCounts(
            distinct=distinct[f.column],
            edges=edges.get(f.column, ()),
            tables=(
                {group: tables[f.column, group] for group in request.groups}
                if f in counted
                else None
            ),
        )
        for f in features
    }


def _distinct_counts(
    view: str, types: Mapping[str, str], features: tuple[FeatureColumn, ...], rows: Rows
) -> tuple[dict[str, int], dict[str, int]]:
    """Each feature's distinct non-NULL values (numeric: cast to DOUBLE, NaN a value), and each
    numeric feature's finite values."""
    aggregates = []
    for f in features:
        if f.numeric:
            aggregates.append(f"count(DISTINCT CAST({sql.quote(f.column)} AS DOUBLE))")
            aggregates.append(f"count({sql.finite_double(f.column, types[f.column])})")
        else:
            aggregates.append(f"count(DISTINCT {sql.quote(f.column)})")
    (row,) = rows(f"SELECT {', '.join(aggregates)} FROM {view}")
    values = iter(row)
    distinct, finite = {}, {}
    for f in features:
        distinct[f.column] = int(next(values))
        if f.numeric:
            finite[f.column] = int(next(values))
    return distinct, finite


def _edges(
    view: str,
    types: Mapping[str, str],
    features: tuple[FeatureColumn, ...],
    finite: Mapping[str, int],
    bins: int,
    rows: Rows,
) -> dict[str, tuple[float, ...]]:
    """The quantile edges of each feature (with more values than bins): its finite values'
    order statistics at `quantile_ranks`, deduplicated and sorted."""
    wanted = [(f, quantile_ranks(finite[f.column], bins)) for f in features if finite[f.column]]
    if not wanted:
        return {}
    statistics = [
        order_statistic(rank, finite[f.column], sql.finite_double(f.column, types[f.column]))
        for f, ranks in wanted
        for rank in ranks
    ]
    (row,) = rows(f"SELECT {', '.join(statistics)} FROM {view}")
    values = iter(row)
    return {f.column: quantile_edges([next(values) for _ in ranks]) for f, ranks in wanted}


def _tables(
    view: str,
    types: Mapping[str, str],
    features: tuple[FeatureColumn, ...],
    edges: Mapping[str, tuple[float, ...]],
    groups: tuple[str, ...],
    rows: Rows,
) -> dict[tuple[str, str], Cells]:
    """Every (feature, group column) table in one scan: a grouping set per pair."""
    tables: dict[tuple[str, str], Cells] = {(f.column, g): {} for f in features for g in groups}
    if not features or not groups:
        return tables
    select = [
        f"{_counted(f.column, types[f.column], edges.get(f.column, ()))} AS x{i}"
        for i, f in enumerate(features)
    ]
    select += [f"{sql.quote(g)} AS g{j}" for j, g in enumerate(groups)]
    pairs = [(i, j) for i in range(len(features)) for j in range(len(groups))]
    sets = ", ".join(f"(x{i}, g{j})" for i, j in pairs)
    flags = [f"grouping(x{i})" for i in range(len(features))]
    flags += [f"grouping(g{j})" for j in range(len(groups))]
    columns = [f"x{i}" for i in range(len(features))] + [f"g{j}" for j in range(len(groups))]
    statement = (
        f"SELECT {', '.join(flags)}, {', '.join(columns)}, count(*) FROM "
        f"(SELECT {', '.join(select)} FROM {view}) GROUP BY GROUPING SETS ({sets})"
    )
    width, n_flags = len(features), len(flags)
    for row in rows(statement):
        i = next(k for k in range(width) if row[k] == 0)
        j = next(k for k in range(len(groups)) if row[width + k] == 0)
        x, g = row[n_flags + i], row[n_flags + width + j]
        tables[features[i].column, groups[j]][x, g] = int(row[-1])
    return tables


def _counted(column: str, data_type: str, edges: tuple[float, ...]) -> str:
    """The feature's raw value, or its bin: the number of edges its value (as DOUBLE) exceeds,
    NULL where the value is missing."""
    if not edges:
        return sql.quote(column)
    value = sql.finite_double(column, data_type)
    exceeded = " + ".join(
        f"CASE WHEN {value} > {sql.double_literal(edge)} THEN 1 ELSE 0 END" for edge in edges
    )
    return f"CASE WHEN {value} IS NULL THEN NULL ELSE {exceeded} END"
