"""DuckDB's SQL for `DataEngine.rank_counts`, a measurement the fairness counts do not give:
the area under the ROC curve, from counts of positives and negatives per distinct score (ties
count one half), in one pass.

Column names reach the SQL only through `quote_identifier`, values only as `?` parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.data.engine import RankCounts, TypedColumn
from governance.data.missing_values import missing_value
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    from governance.data.store import DatasetStore


def rank_counts(
    store: DatasetStore, name: str, label: TypedColumn, positive: object, score: TypedColumn
) -> RankCounts:
    """Over the rows with a label and a finite score."""
    y, s = quote_identifier(label.column), quote_identifier(score.column)

    def sql(table: str) -> str:
        return f"""
            WITH source AS (
                SELECT CAST({s} AS DOUBLE) AS s, {y} = ? AS positive FROM {table}
                WHERE NOT {missing_value(label.column, label.data_type)}
                    AND NOT {missing_value(score.column, score.data_type)}
            ),
            per_score AS (
                SELECT s, count(*) FILTER (WHERE positive) AS pos,
                    count(*) FILTER (WHERE NOT positive) AS neg
                FROM source GROUP BY s
            ),
            ranked AS (
                SELECT pos, neg, coalesce(sum(neg) OVER (
                    ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below
                FROM per_score
            )
            SELECT coalesce(sum(pos * (below + neg / 2.0)), 0), coalesce(sum(pos), 0),
                coalesce(sum(neg), 0)
            FROM ranked
        """

    won, positives, negatives = store.query(name, sql, [positive])[0]
    return RankCounts(float(won), int(positives), int(negatives))
