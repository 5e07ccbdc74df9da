"""How the DuckDB engine adds the columns the model computes (`from_model` in the manifest):
rows are read a batch at a time, the scorer predicts each batch (`BatchScoring`), and the
predictions are appended to a DuckDB table, so memory holds one batch of inputs whatever the
dataset's size. The dataset checks read is the loaded table with the prediction (and score)
columns joined by position."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.data.frame_digest import BATCH_ROWS, arrow_stream_sha256
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from governance.data.engine import BatchScoring, DatasetScorer
    from governance.manifest import DatasetSpec


def add_model_columns(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    name: str,
    spec: DatasetSpec,
    scorer: DatasetScorer,
) -> str:
    """A new table of `table`'s rows with the model's predictions beside them. Raises
    `InputError` for the user's mistakes (a feature missing) and `CheckCannotRun` when the
    model fails while scoring."""
    assert spec.from_model is not None
    columns = tuple(str(c) for c in connection.table(table).columns)
    scoring = scorer.start(name, spec, columns)
    predictions = f"{table}_predictions"
    _predict_into(connection, table, predictions, scoring, spec.from_model.batch_rows)
    scored = f"{table}_scored"
    connection.execute(
        f"CREATE TABLE {quote_identifier(scored)} AS SELECT * FROM "
        f"{quote_identifier(table)} POSITIONAL JOIN {quote_identifier(predictions)}"
    )
    added = [str(c) for c in connection.table(predictions).columns]
    reader = connection.sql(
        f"SELECT {', '.join(map(quote_identifier, added))} FROM {quote_identifier(scored)}"
    ).to_arrow_reader(BATCH_ROWS)
    digest, _ = arrow_stream_sha256(reader)
    connection.execute(f"DROP TABLE {quote_identifier(predictions)}")
    (row,) = connection.execute(f"SELECT count(*) FROM {quote_identifier(scored)}").fetchall()
    scoring.finish(int(row[0]), digest)
    return scored


def _predict_into(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    predictions: str,
    scoring: BatchScoring,
    batch_rows: int,
) -> None:
    """Score `table` batch by batch into a new table `predictions` (same row order). Rows are
    read on `connection` (which sees a frame registered on it) and written through a second
    connection to the same database, as one connection cannot write while it streams."""
    features = ", ".join(map(quote_identifier, scoring.features))
    batches = connection.sql(f"SELECT {features} FROM {quote_identifier(table)}")
    writer = connection.cursor()
    created = False
    try:
        for batch in batches.to_arrow_reader(batch_rows):
            _append(writer, predictions, scoring.predict_batch(batch), created)
            created = True
        if not created:  # no rows: the columns still exist, empty
            _append(writer, predictions, scoring.empty(), False)
    finally:
        writer.close()


def _append(
    connection: duckdb.DuckDBPyConnection, predictions: str, rows: pa.Table, created: bool
) -> None:
    connection.register("model_batch", rows)
    try:
        target = quote_identifier(predictions)
        connection.execute(
            f"INSERT INTO {target} SELECT * FROM model_batch"
            if created
            else f"CREATE TABLE {target} AS SELECT * FROM model_batch"
        )
    finally:
        connection.unregister("model_batch")
