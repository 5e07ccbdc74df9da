"""Every SQL statement of the fairness check, behind functions named for the question they
answer; the other modules call these and never write SQL.

Column names reach the SQL only through `quote_identifier`, the table name only through
`DatasetStore.query` (which builds the statement around it, substituting nothing afterwards),
and values from policies only as `?` parameters: no name or value can become SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.data.store import DatasetStore, quote_identifier

if TYPE_CHECKING:
    from governance.checks.fairness.outcome_columns import OutcomeColumns


@dataclass(frozen=True)
class Spread:
    """How many distinct values a column holds, over how many non-null rows."""

    distinct: int
    present: int


def row_count(store: DatasetStore, name: str) -> int:
    return int(store.query(name, lambda table: f"SELECT count(*) FROM {table}")[0][0])


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
    store: DatasetStore, name: str, column: str, float_typed: bool, limit: int
) -> list[Any]:
    """Up to `limit` distinct values of a column that are neither NULL nor NaN."""
    quoted = quote_identifier(column)
    return [
        row[0]
        for row in store.query(
            name,
            lambda table: (
                f"SELECT DISTINCT {quoted} FROM {table} "
                f"WHERE NOT {_missing(column, float_typed)} LIMIT {int(limit)}"
            ),
        )
    ]


def confusion_cells(
    store: DatasetStore,
    name: str,
    features: tuple[str, ...],
    feature_sets: tuple[tuple[str, ...], ...],
    outcomes: OutcomeColumns,
    rollup: bool,
) -> list[tuple[Any, ...]]:
    """Rows counted by raw sensitive values, raw label and selection, in one scan.

    With `rollup`, only the full intersection of `features` is grouped; else GROUPING SETS
    group every feature set. Each row is: the GROUPING() id over all features, the value of
    each feature (NULL where not grouped), label `y`, selection `p`, the row count, the rows
    with a score, the rows scoring above the full sample's median, and that median."""
    select, parameters = _source_columns(features, outcomes)
    aliases = [f"f{index}" for index in range(len(features))]
    if rollup:
        grouping = f"{', '.join(aliases)}, y, p"
    else:
        sets = [[aliases[features.index(f)] for f in feature_set] for feature_set in feature_sets]
        listed = ", ".join("(" + ", ".join([*s, "y", "p"]) + ")" for s in sets)
        grouping = f"GROUPING SETS ({listed})"
    median = "(SELECT median(s) FROM source)" if outcomes.score is not None else "NULL::DOUBLE"

    def sql(table: str) -> str:
        return f"""
            WITH source AS (SELECT {", ".join(select)} FROM {table})
            SELECT GROUPING({", ".join(aliases)}), {", ".join(aliases)}, y, p,
                count(*), count(s), count(*) FILTER (WHERE s > {median}), {median}
            FROM source
            GROUP BY {grouping}
        """

    return store.query(name, sql, parameters)


def _source_columns(
    features: tuple[str, ...], outcomes: OutcomeColumns
) -> tuple[list[str], list[object]]:
    """The per-row projection: raw sensitive values, raw label, selection (raw prediction, or
    whether the score reaches the threshold), and the score."""
    select = [f"{quote_identifier(feature)} AS f{i}" for i, feature in enumerate(features)]
    parameters: list[object] = []
    label = outcomes.label
    select.append(f"{quote_identifier(label.column)} AS y" if label else "NULL AS y")
    if outcomes.prediction is not None:
        select.append(f"{quote_identifier(outcomes.prediction.column)} AS p")
    elif outcomes.threshold is not None and outcomes.score is not None:
        score = outcomes.score
        select.append(
            f"CASE WHEN {_missing(score.column, score.float_typed)} THEN NULL "
            f"ELSE CAST({quote_identifier(score.column)} AS DOUBLE) >= ? END AS p"
        )
        parameters.append(outcomes.threshold)
    else:
        select.append("NULL AS p")
    if outcomes.score is not None:
        score = outcomes.score
        value = f"CAST({quote_identifier(score.column)} AS DOUBLE)"
        select.append(
            f"CASE WHEN {_missing(score.column, True)} THEN NULL ELSE {value} END AS s"
            if score.float_typed
            else f"{value} AS s"
        )
    else:
        select.append("NULL::DOUBLE AS s")
    return select, parameters


def _missing(column: str, float_typed: bool) -> str:
    """SQL true where the column has no value: NULL, or NaN in a floating-point column."""
    quoted = quote_identifier(column)
    return f"({quoted} IS NULL OR isnan({quoted}))" if float_typed else f"({quoted} IS NULL)"
