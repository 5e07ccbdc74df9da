"""DuckDB's SQL for the fairness operations of the data interface (`DataEngine.value_spread`,
`present_values`, `confusion_counts`): each a statement built around the dataset's table.

Column names reach the SQL only through `quote_identifier`, the table name only through
`DatasetStore.query` (which builds the statement around it, substituting nothing afterwards),
and values from policies only as `?` parameters: no name or value can become SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from governance.data.column_types import is_floating, is_text
from governance.data.engine import ConfusionCell, ConfusionRequest, Spread, TypedColumn
from governance.data.missing_values import missing_value
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    from governance.data.store import DatasetStore


def spread_of_first_rows(
    store: DatasetStore, name: str, columns: tuple[str, ...], first_rows: int
) -> dict[str, Spread]:
    """Distinct values and non-null rows of each column among the first `first_rows` rows (a
    bounded, cheap look taken before anything is grouped)."""
    quoted = [quote_identifier(column) for column in columns]
    aggregates = ", ".join(f"count(DISTINCT {c}), count({c})" for c in quoted)
    row = store.query(
        name,
        lambda table: (
            f"SELECT {aggregates} FROM "
            f"(SELECT {', '.join(quoted)} FROM {table} LIMIT {int(first_rows)})"
        ),
    )[0]
    return {
        column: Spread(distinct=int(row[2 * i]), present=int(row[2 * i + 1]))
        for i, column in enumerate(columns)
    }


def present_values(
    store: DatasetStore, name: str, columns: Mapping[str, str], limit: int
) -> dict[str, list[Any]]:
    """Up to `limit` distinct values of each column (name -> type) that are not missing
    (`missing_value`), all columns in one scan."""
    lists = ", ".join(
        f"(list(DISTINCT {quote_identifier(column)}) "
        f"FILTER (WHERE NOT {missing_value(column, data_type)}))[1:{int(limit)}]"
        for column, data_type in columns.items()
    )
    if not columns:
        return {}
    row = store.query(name, lambda table: f"SELECT {lists} FROM {table}")[0]
    return {column: list(found or ()) for column, found in zip(columns, row, strict=True)}


def confusion_cells(
    store: DatasetStore, name: str, request: ConfusionRequest
) -> tuple[ConfusionCell, ...]:
    """Rows counted by raw sensitive values, raw label and selection, in one scan.

    With `rollup`, only the full intersection of `features` is grouped; else GROUPING SETS
    group every feature set. Each row is: the GROUPING() id over all features, the value of
    each feature (NULL where not grouped), label `y`, selection `p` (each NULL where missing),
    the row count, the rows with a finite score (for scoring rates, all or none of the cell's
    rows: the cells are also split on that), the rows scoring above the median, and the
    median.

    The median is the full sample's: over the finite scores of the rows with every outcome the
    rule needs (a row left out of the rates is left out of it too)."""
    features = request.features
    select, parameters = _source_columns(request)
    aliases = [f"f{index}" for index in range(len(features))]
    # Split on whether the score is finite only where a row without one is a missing outcome.
    outcome = "y, p, s IS NULL" if request.scoring else "y, p"
    if request.rollup:
        grouping = f"{', '.join(aliases)}, {outcome}"
    else:
        sets = [
            [aliases[features.index(f)] for f in feature_set]
            for feature_set in request.feature_sets
        ]
        listed = ", ".join("(" + ", ".join([*s, outcome]) + ")" for s in sets)
        grouping = f"GROUPING SETS ({listed})"
    median = "NULL::DOUBLE"
    if request.score is not None:
        median = f"(SELECT median(s) FROM source WHERE {_complete(request)})"

    def sql(table: str) -> str:
        return f"""
            WITH source AS (SELECT {", ".join(select)} FROM {table})
            SELECT GROUPING({", ".join(aliases)}), {", ".join(aliases)}, y, p,
                count(*), count(s), count(*) FILTER (WHERE s > {median}), {median}
            FROM source
            GROUP BY {grouping}
        """

    width = len(features)
    return tuple(
        ConfusionCell.from_row(
            row, width, None if row[6 + width] is None else float(row[6 + width])
        )
        for row in store.query(name, sql, parameters)
    )


def _source_columns(request: ConfusionRequest) -> tuple[list[str], list[object]]:
    """The per-row projection: raw sensitive values, label, selection (prediction, or whether
    the score reaches the threshold) and score, each NULL where its value is missing."""
    select = [f"{quote_identifier(feature)} AS f{i}" for i, feature in enumerate(request.features)]
    parameters: list[object] = []
    label = request.label
    select.append(_present(label, "y") if label else "NULL AS y")
    if request.prediction is not None:
        select.append(_present(request.prediction, "p"))
    elif request.threshold is not None and request.score is not None:
        score = request.score
        select.append(
            f"CASE WHEN {missing_value(score.column, score.data_type)} THEN NULL "
            f"ELSE CAST({quote_identifier(score.column)} AS DOUBLE) >= ? END AS p"
        )
        parameters.append(request.threshold)
    else:
        select.append("NULL AS p")
    if request.score is not None:
        select.append(f"{_score(request.score)} AS s")
    else:
        select.append("NULL::DOUBLE AS s")
    return select, parameters


def _score(score: TypedColumn) -> str:
    """The score as DOUBLE, NULL where missing."""
    return (
        f"CASE WHEN {missing_value(score.column, score.data_type)} THEN NULL "
        f"ELSE CAST({quote_identifier(score.column)} AS DOUBLE) END"
    )


def _complete(request: ConfusionRequest) -> str:
    """SQL true on a projected row that has every outcome the rule needs."""
    needed = ["s IS NOT NULL"]
    if request.label is not None:
        needed.append("y IS NOT NULL")
    if request.selects:
        needed.append("p IS NOT NULL")
    return " AND ".join(needed)


def _present(column: TypedColumn, alias: str) -> str:
    """The column, NULL where its value is missing."""
    quoted = quote_identifier(column.column)
    if not (is_floating(column.data_type) or is_text(column.data_type)):
        return f"{quoted} AS {alias}"  # missing is NULL already
    missing = missing_value(column.column, column.data_type)
    return f"CASE WHEN {missing} THEN NULL ELSE {quoted} END AS {alias}"
