"""ONNX models, run by onnxruntime (a graph of operators: loading runs no Python code)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from governance.manifest import ModelOutputs
from governance.model.predictor import BatchOutput, InvalidModel, Label

_TENSOR_TYPES: dict[str, Any] = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
    "tensor(string)": object,
    "tensor(bool)": np.bool_,
}


def load_onnx(content: bytes, outputs: ModelOutputs | None) -> OnnxPredictor:
    import onnxruntime as ort

    options = ort.SessionOptions()
    # Its own log goes to stderr, outside the audit's output: a refusal is reported once, here.
    options.log_severity_level = 4
    # Loaded from bytes, a graph has no folder: onnxruntime refuses tensors stored in external
    # files, so an artifact can never make it read a file beside (or outside) the manifest.
    # Before 1.24.3 it did not check such paths on every code path (hence the floor in
    # pyproject.toml: a graph naming '../secret.bin' could be read with optimisation off).
    # Without `enable_fallback=0`, a model it cannot load is tried again on the same provider
    # after a banner printed to standard output, where it would land in the user's console or
    # in a machine-readable report written there.
    try:
        session = ort.InferenceSession(
            content, options, providers=["CPUExecutionProvider"], enable_fallback=0
        )
        # Names are decoded as they are read: one that is not UTF-8 fails here, not in a rule.
        for argument in (*session.get_inputs(), *session.get_outputs()):
            argument.name.encode()
    except Exception as error:
        raise InvalidModel(f"it is not a readable ONNX model ({type(error).__name__})") from None
    return OnnxPredictor(session, outputs, content)


class OnnxPredictor:
    """Either one input per feature (column-named, shape [N, 1]: skl2onnx's export of a
    pipeline fitted on a frame) or one input taking every feature as columns of a tensor."""

    def __init__(self, session: Any, outputs: ModelOutputs | None, content: bytes):
        self._session = session
        self._content = content
        self._outputs = outputs
        self._inputs = tuple(session.get_inputs())
        names = tuple(output.name for output in session.get_outputs())
        for input_ in self._inputs:
            if input_.type not in _TENSOR_TYPES:
                raise InvalidModel(f"its input '{input_.name}' is a {input_.type}")
        if outputs is None:
            if len(names) != 1:
                raise SeveralOutputs(names)
            self._prediction, self._score = names[0], None
        else:
            for name in (outputs.prediction, outputs.score):
                if name is not None and name not in names:
                    raise InvalidModel(
                        f"it has no output '{name}' (its outputs: {', '.join(names)})",
                        key="outputs",
                    )
            self._prediction, self._score = outputs.prediction, outputs.score

    def __reduce__(self) -> tuple[Any, tuple[bytes, ModelOutputs | None]]:
        """Pickled as the model's bytes, loaded again where it is unpickled (an onnxruntime
        session does not pickle): how a Spark executor gets the model the driver checked (its
        sha256 pinned and verified there), with no file to read."""
        return load_onnx, (self._content, self._outputs)

    @property
    def feature_names(self) -> tuple[str, ...] | None:
        if len(self._inputs) == 1 and _width(self._inputs[0]) != 1:
            return None  # one tensor of every feature: its columns have no names
        return tuple(input_.name for input_ in self._inputs)

    @property
    def scores(self) -> bool:
        return self._score is not None

    def predict(
        self, batch: pa.RecordBatch, features: tuple[str, ...], positive: Label | None
    ) -> BatchOutput:
        if self.feature_names is None:
            (input_,) = self._inputs
            matrix = np.column_stack(
                [_column(batch.column(i), _TENSOR_TYPES[input_.type]) for i in range(len(features))]
            )
            feeds = {input_.name: matrix}
        else:
            feeds = {
                input_.name: _column(
                    batch.column(features.index(input_.name)), _TENSOR_TYPES[input_.type]
                ).reshape(-1, 1)
                for input_ in self._inputs
            }
        wanted = [self._prediction] + ([self._score] if self._score else [])
        found = self._session.run(wanted, feeds)
        predictions = np.asarray(found[0]).reshape(-1)
        scores = None
        if self._score is not None:
            probabilities = np.asarray(found[1], dtype=np.float64)
            scores = probabilities
            if probabilities.ndim == 2:
                scores = probabilities[:, _positive_column(predictions, probabilities, positive)]
        return BatchOutput(predictions, scores)


def _positive_column(
    predictions: np.ndarray[Any, Any], probabilities: np.ndarray[Any, Any], positive: Label | None
) -> int:
    """The column of `probabilities` that is the positive label's. The outputs do not name
    their columns, but a row's label is the class of its highest probability, so the rows
    name them: the positive label's column is the one its rows peak in (with two classes,
    else the one no row's label names). Without a declared label, or when the rows cannot
    tell, the last column (scikit-learn's order: the probability of 1 for 0/1 labels)."""
    columns = int(probabilities.shape[1])
    if positive is None or columns < 2:
        return columns - 1
    ordered = np.sort(probabilities, axis=1)
    peak = probabilities.argmax(axis=1)
    clear = ordered[:, -1] > ordered[:, -2]  # a tie names no column
    named = {}
    for column in range(columns):
        rows = np.flatnonzero(clear & (peak == column))
        if rows.size:
            named[column] = predictions[rows[0]]
    for column, label in named.items():
        if _is_label(label, positive):
            return column
    unnamed = [column for column in range(columns) if column not in named]
    if columns == 2 and len(unnamed) == 1:
        return unnamed[0]
    return columns - 1


def _is_label(value: Any, positive: Label) -> bool:
    """Whether an output label is the declared one (`1`, `1.0` and `"1"` alike)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if str(value).strip() == str(positive).strip():
        return True
    try:
        return float(value) == float(positive)
    except (TypeError, ValueError):
        return False


class SeveralOutputs(InvalidModel):
    def __init__(self, names: tuple[str, ...]):
        super().__init__(
            f"it has {len(names)} outputs ({', '.join(names)}) and the manifest names none",
            key="outputs",
            hint="name them in 'model.outputs', e.g. {prediction: label, score: probabilities}",
        )


def _width(input_: Any) -> int | None:
    shape = input_.shape
    return shape[1] if len(shape) == 2 and isinstance(shape[1], int) else None


def _column(values: pa.Array, dtype: Any) -> np.ndarray[Any, Any]:
    if dtype is object:
        return np.asarray(values.cast(pa.string()).to_pylist(), dtype=object)
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=dtype)
