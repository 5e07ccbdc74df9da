"""DuckDB's shape pass of `DataEngine.proxy_counts`: the numeric features' exact number of
values and quantile edges, and every other column's exact number of values with its value list
keyed by DuckDB's `hash()` (the counting pass streams text columns as those hashes and
translates them back through these lists).

Column names reach the SQL only through `quote_identifier`, quantile levels and limits only as
`?` parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from governance.data.engine import Value, quantile_edges
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    from governance.data.store import DatasetStore

HASH = "hash"
"""DuckDB's function giving a value its fixed-width stand-in (64 bits)."""


@dataclass(frozen=True)
class NumericShape:
    distinct: int
    edges: tuple[float, ...]


@dataclass(frozen=True)
class ValueList:
    """A column's exact number of distinct non-NULL values and, when it has at most the limit
    asked for, each value (None for NULL) keyed by its hash; `by_hash` is None above the limit
    or when two values share a hash."""

    distinct: int
    by_hash: dict[int, Value] | None


def numeric_shapes(
    store: DatasetStore, name: str, columns: tuple[str, ...], bins: int
) -> dict[str, NumericShape]:
    """Per column: its rows counted per value (every value as DOUBLE: NaN and infinities are
    values, NULL is not), then the value at each level `q` taken where the running count over
    its finite values reaches ceil(n * q) in double precision (`engine.quantile_ranks`, as
    `quantile_disc` does), kept when the column has more distinct values than bins.

    One GROUP BY per column (a small hash table each, where `quantile_disc` sorts every value:
    3x the time), as one UNION ALL: cheaper in DuckDB than GROUPING SETS over the same columns
    (each grouping set copies every row's columns)."""
    shapes: dict[str, NumericShape] = {}
    for start in range(0, len(columns), _PER_STATEMENT):
        shapes |= _numeric_shapes(store, name, columns[start : start + _PER_STATEMENT], bins)
    return shapes


def value_lists(
    store: DatasetStore, name: str, limits: dict[str, int | None]
) -> dict[str, ValueList]:
    """Per column (name -> the most values to list, None for all): its exact number of
    distinct non-NULL values and, within the limit, its values by hash."""
    found: dict[str, ValueList] = {}
    items = tuple(limits.items())
    for start in range(0, len(items), _PER_STATEMENT):
        found |= _value_lists(store, name, items[start : start + _PER_STATEMENT])
    return found


_PER_STATEMENT = 64
"""Columns counted per value in one statement (a bounded UNION ALL)."""

_MAX_LIMIT = 2**63 - 1
"""DuckDB's largest LIMIT (a BIGINT)."""


def _numeric_shapes(
    store: DatasetStore, name: str, columns: tuple[str, ...], bins: int
) -> dict[str, NumericShape]:
    if not columns:
        return {}
    levels = [i / bins for i in range(1, bins)]
    quantiles = ", ".join(
        "min(v) FILTER (WHERE below >= greatest(ceil(finite::DOUBLE * ?::DOUBLE), 1))"
        for _ in levels
    )

    def sql(table: str) -> str:
        # Built around the table's name, never through str.format: a column's name may hold
        # braces (`{table[0]}` would put a bare quote in the statement).
        counts = " UNION ALL ".join(
            f"SELECT {index} AS m, v, count(*) AS n FROM "
            f"(SELECT CAST({quote_identifier(column)} AS DOUBLE) AS v FROM {table}) "
            "WHERE v IS NOT NULL GROUP BY v"
            for index, column in enumerate(columns)
        )
        return f"""
            WITH per_value AS ({counts}),
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
    for index, column in enumerate(columns):
        distinct, edges = found.get(index, (0, ()))
        kept = quantile_edges(edges) if distinct > bins else ()
        shapes[column] = NumericShape(distinct, kept)
    return shapes


def _value_lists(
    store: DatasetStore, name: str, items: tuple[tuple[str, int | None], ...]
) -> dict[str, ValueList]:
    """One GROUP BY per column, each listing at most its limit of values plus NULL, with the
    column's number of non-NULL values counted over every group (one window over the groups,
    not the rows)."""
    if not items:
        return {}
    # One more than the limit, to tell a column over it; at most a BIGINT (the policy's
    # `max_categories` is not bounded).
    parameters: list[object] = [
        min(limit + 1, _MAX_LIMIT) for _, limit in items if limit is not None
    ]

    def statement(table: str) -> str:
        # Built around the table's name, never through str.format (see `_numeric_shapes`).
        return " UNION ALL ".join(
            f"SELECT * FROM (SELECT {index} AS k, v, {HASH}(v) AS h, count(v) OVER () AS n "
            f"FROM (SELECT {quote_identifier(column)} AS v FROM {table} GROUP BY ALL)"
            f"{'' if limit is None else ' LIMIT ?'})"
            for index, (column, limit) in enumerate(items)
        )

    rows = store.query(name, statement, parameters)
    values: dict[int, dict[int, Value]] = {index: {} for index in range(len(items))}
    distinct = dict.fromkeys(range(len(items)), 0)
    collided: set[int] = set()
    for index, value, digest, count in rows:
        distinct[index] = int(count)
        if digest in values[index]:
            collided.add(index)
        values[index][digest] = value
    lists = {}
    for index, (column, limit) in enumerate(items):
        kept = index not in collided and (limit is None or distinct[index] <= limit)
        lists[column] = ValueList(distinct[index], values[index] if kept else None)
    return lists
