"""DuckDB's SQL for `DataEngine.agreement_counts`: in one query, the rows where a recorded
prediction differs from the model's (numbers compared as numbers, so 1 and 1.0 agree; anything
else as trimmed text).

Column names reach the SQL only through `quote_identifier`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.data.engine import AgreementCounts
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    from governance.data.store import DatasetStore


def agreement_counts(
    store: DatasetStore, name: str, column: str, model_column: str
) -> AgreementCounts:
    recorded, predicted = quote_identifier(column), quote_identifier(model_column)
    same = (
        f"coalesce(TRY_CAST({recorded} AS DOUBLE) = TRY_CAST({predicted} AS DOUBLE), "
        f"trim(CAST({recorded} AS VARCHAR)) = trim(CAST({predicted} AS VARCHAR)))"
    )
    row = store.query(
        name,
        lambda table: (
            f"SELECT count(*), count(*) FILTER (WHERE {recorded} IS NULL), "
            f"count(*) FILTER (WHERE {recorded} IS NULL OR NOT coalesce({same}, false)) "
            f"FROM {table}"
        ),
    )[0]
    return AgreementCounts(rows=int(row[0]), missing=int(row[1]), disagreeing=int(row[2]))
