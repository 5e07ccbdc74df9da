"""Scoring a dataset with the audit's model, in bounded batches: rows are read from DuckDB a
batch at a time, the model predicts, and the predictions are appended to a DuckDB table, so
memory holds one batch of inputs whatever the dataset's size. The dataset checks read is the
loaded table with the prediction (and score) columns joined by position."""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from governance.data.frame_digest import BATCH_ROWS, arrow_stream_sha256
from governance.data.store import quote_identifier
from governance.errors import CheckCannotRun, InputError
from governance.manifest import DatasetSpec, FromModel, LoadedManifest
from governance.model.loading import LoadedModel
from governance.model.predictor import BatchOutput, Label
from governance.model.source import ModelSource, ScoredDataset


class ModelScorer:
    """The store's `DatasetScorer`: predictions from the audit's model."""

    def __init__(self, source: ModelSource, manifest: LoadedManifest):
        self._source = source
        self._manifest = manifest

    def planned_spec(self, spec: DatasetSpec) -> DatasetSpec:
        return spec.with_model_columns(scored=self._source.model().predictor.scores)

    def add_predictions(
        self, connection: duckdb.DuckDBPyConnection, table: str, name: str, spec: DatasetSpec
    ) -> str:
        assert spec.from_model is not None
        model = self._source.model()
        columns = [str(c) for c in connection.table(table).columns]
        self._require_features(model, name, columns)
        taken = [c for c in (spec.from_model.prediction, spec.from_model.score) if c in columns]
        if taken:
            raise self._error(
                name, f"the model's column '{taken[0]}' is already a column of the dataset"
            )
        predictions = f"{table}_predictions"
        try:
            _predict_into(connection, table, predictions, model, spec)
        except ModelFailed as failed:
            raise CheckCannotRun(
                f"the model '{model.display_path}' failed while scoring dataset '{name}' ({failed})"
            ) from None
        scored = f"{table}_scored"
        connection.execute(
            f"CREATE TABLE {quote_identifier(scored)} AS SELECT * FROM "
            f"{quote_identifier(table)} POSITIONAL JOIN {quote_identifier(predictions)}"
        )
        added = _added_columns(connection, predictions)
        reader = connection.sql(
            f"SELECT {', '.join(map(quote_identifier, added))} FROM {quote_identifier(scored)}"
        ).to_arrow_reader(BATCH_ROWS)
        digest, _ = arrow_stream_sha256(reader)
        connection.execute(f"DROP TABLE {quote_identifier(predictions)}")
        (row,) = connection.execute(f"SELECT count(*) FROM {quote_identifier(scored)}").fetchall()
        has_score = spec.from_model.score in added
        self._source.record(
            ScoredDataset(
                dataset=name,
                rows=int(row[0]),
                prediction_column=spec.from_model.prediction,
                score_column=spec.from_model.score if has_score else None,
                predictions_sha256=digest,
            )
        )
        return scored

    def _require_features(self, model: LoadedModel, name: str, columns: list[str]) -> None:
        missing = [feature for feature in model.features if feature not in columns]
        if missing:
            raise self._error(
                name,
                f"the model's input features {', '.join(missing)} are not columns of the dataset",
                hint="score a dataset that has every input feature, or correct 'model.features'",
            )

    def _error(self, name: str, message: str, hint: str = "") -> InputError:
        return self._manifest.document.error(
            f"dataset '{name}': {message}", ("datasets", name, "from_model"), hint
        )


def _predict_into(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    predictions: str,
    model: LoadedModel,
    spec: DatasetSpec,
) -> None:
    """Score `table` batch by batch into a new table `predictions` (same row order). Rows are
    read on `connection` (which sees a frame registered on it) and written through a second
    connection to the same database, as one connection cannot write while it streams."""
    assert spec.from_model is not None
    settings = spec.from_model
    features = ", ".join(map(quote_identifier, model.features))
    batches = connection.sql(f"SELECT {features} FROM {quote_identifier(table)}")
    writer = connection.cursor()
    created = False
    try:
        for batch in batches.to_arrow_reader(settings.batch_rows):
            output = _predict(model, batch, spec.positive_label)
            rows = _output_rows(output, batch.num_rows, settings, model)
            _append(writer, predictions, rows, created)
            created = True
        if not created:  # no rows: the columns still exist, empty
            empty = BatchOutput(np.array([], dtype=np.int64), np.array([], dtype=np.float64))
            _append(writer, predictions, _output_rows(empty, 0, settings, model), False)
    finally:
        writer.close()


def _predict(model: LoadedModel, batch: pa.RecordBatch, positive: Label | None) -> BatchOutput:
    try:
        return model.predictor.predict(batch, model.features, positive)
    except Exception as error:  # the model's own failure: its rules are errored
        raise ModelFailed(type(error).__name__) from None


class ModelFailed(Exception):
    """The model raised while predicting (the message is the exception's type only: library
    errors often quote the data)."""


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


def _output_rows(
    output: BatchOutput, rows: int, settings: FromModel, model: LoadedModel
) -> pa.Table:
    predictions = np.asarray(output.predictions)
    if predictions.ndim != 1 or len(predictions) != rows:
        raise ModelFailed(f"{predictions.shape} predictions for {rows} rows")
    columns: dict[str, Any] = {settings.prediction: pa.array(predictions)}
    if model.predictor.scores:
        if output.scores is None or output.scores.shape != (rows,):
            shape = None if output.scores is None else output.scores.shape
            raise ModelFailed(f"{shape} scores for {rows} rows")
        columns[settings.score] = pa.array(output.scores, type=pa.float64())
    return pa.table(columns)


def _added_columns(connection: duckdb.DuckDBPyConnection, predictions: str) -> list[str]:
    return [str(c) for c in connection.table(predictions).columns]
