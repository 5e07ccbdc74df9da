"""Scoring a dataset with the audit's model, one Arrow record batch at a time: the data engine
reads the model's input features a batch at a time and hands each batch here; the model
predicts; the engine appends the predictions beside the rows (`DatasetScorer`, the contract in
`governance.data.engine`). Memory holds one batch of inputs whatever the dataset's size, and
nothing here knows which engine drives the batches."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from governance.data.engine import BatchScoring
from governance.errors import CheckCannotRun, InputError, InputFileError
from governance.manifest import DatasetSpec, FromModel, LoadedManifest
from governance.model.loading import LoadedModel
from governance.model.predictor import BatchOutput, Label
from governance.model.source import ModelSource, ScoredDataset


class ModelScorer:
    """The engine's `DatasetScorer`: predictions from the audit's model."""

    def __init__(self, source: ModelSource, manifest: LoadedManifest):
        self._source = source
        self._manifest = manifest

    def planned_spec(self, spec: DatasetSpec) -> DatasetSpec:
        return spec.with_model_columns(scored=self._source.model().predictor.scores)

    def start(self, name: str, spec: DatasetSpec, columns: tuple[str, ...]) -> BatchScoring:
        assert spec.from_model is not None
        model = self._source.model()
        self._require_features(model, name, columns)
        taken = [c for c in (spec.from_model.prediction, spec.from_model.score) if c in columns]
        if taken:
            raise self._error(
                name, f"the model's column '{taken[0]}' is already a column of the dataset"
            )
        return _DatasetScoring(self._source, model, name, spec)

    def _require_features(self, model: LoadedModel, name: str, columns: tuple[str, ...]) -> None:
        missing = [feature for feature in model.features if feature not in columns]
        if missing:
            raise self._error(
                name,
                f"the model's input features {', '.join(missing)} are not columns of the dataset",
                hint="score a dataset that has every input feature, or correct 'model.features'",
            )

    def _error(self, name: str, message: str, hint: str = "") -> InputError:
        return self._manifest.document.error(
            f"dataset '{name}': {message}", ("datasets", name, "from_model"), hint, InputFileError
        )


class _DatasetScoring:
    """One dataset's scoring (`BatchScoring`)."""

    def __init__(self, source: ModelSource, model: LoadedModel, name: str, spec: DatasetSpec):
        assert spec.from_model is not None
        self._source = source
        self._model = model
        self._name = name
        self._spec = spec
        self._settings: FromModel = spec.from_model

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self._model.features)

    def predict_batch(self, batch: pa.RecordBatch) -> pa.Table:
        try:
            output = _predict(self._model, batch, self._spec.positive_label)
            return _output_rows(output, batch.num_rows, self._settings, self._model)
        except ModelFailed as failed:
            raise CheckCannotRun(
                f"the model '{self._model.display_path}' failed while scoring dataset "
                f"'{self._name}' ({failed})"
            ) from None

    def empty(self) -> pa.Table:
        empty = BatchOutput(np.array([], dtype=np.int64), np.array([], dtype=np.float64))
        return _output_rows(empty, 0, self._settings, self._model)

    def finish(self, rows: int, predictions_sha256: str) -> None:
        has_score = self._model.predictor.scores
        self._source.record(
            ScoredDataset(
                dataset=self._name,
                rows=rows,
                prediction_column=self._settings.prediction,
                score_column=self._settings.score if has_score else None,
                predictions_sha256=predictions_sha256,
            )
        )


def _predict(model: LoadedModel, batch: pa.RecordBatch, positive: Label | None) -> BatchOutput:
    try:
        return model.predictor.predict(batch, model.features, positive)
    except Exception as error:  # the model's own failure: its rules are errored
        raise ModelFailed(type(error).__name__) from None


class ModelFailed(Exception):
    """The model raised while predicting (the message is the exception's type only: library
    errors often quote the data)."""


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
