"""scikit-learn models saved with skops: loaded without running code, and only from types
skops trusts by default or the manifest lists in `model.trusted_types`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from governance.library_loading import collection_paused
from governance.model.predictor import BatchOutput, InvalidModel, Label
from governance.model.skops_archive import MAX_UNPACKED_BYTES, unpacked_bytes


def load_skops(content: bytes, trusted: tuple[str, ...]) -> SklearnPredictor:
    """The model in `content`; `InvalidModel` when unreadable or needing untrusted types."""
    with collection_paused():  # scikit-learn, scipy and every estimator's module
        import skops.io as sio

    try:
        unpacked = unpacked_bytes(content)
    except Exception as error:
        raise InvalidModel(f"it is not a readable skops file ({type(error).__name__})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidModel(
            f"loading it would unpack {unpacked:,} bytes, more than the limit of "
            f"{MAX_UNPACKED_BYTES // 1024**3} GiB: its schema names compressed members that "
            "expand far beyond the file (a zip bomb), or the model is too large to load",
            hint="skops.io.dump names each member once: check where this file came from",
        )
    try:
        untrusted = sio.get_untrusted_types(data=content)
    except Exception as error:
        raise InvalidModel(f"it is not a readable skops file ({type(error).__name__})") from None
    refused = sorted(set(untrusted) - set(trusted))
    if refused:
        raise UntrustedTypes(tuple(refused))
    try:
        model = sio.loads(content, trusted=list(untrusted))
    except Exception as error:
        raise InvalidModel(f"it is not a readable skops file ({type(error).__name__})") from None
    return SklearnPredictor(model)


class UntrustedTypes(InvalidModel):
    def __init__(self, types: tuple[str, ...]):
        super().__init__(
            f"it needs types skops does not trust by default: {', '.join(types)}",
            key="trusted_types",
            hint="review each type, then list those you trust in 'model.trusted_types'",
        )
        self.types = types


class SklearnPredictor:
    """A fitted scikit-learn estimator (or pipeline), fed a pandas frame of its features."""

    def __init__(self, model: Any):
        if not callable(getattr(model, "predict", None)):
            raise InvalidModel(f"it holds a {type(model).__name__}, which has no predict()")
        self._model = model

    @property
    def feature_names(self) -> tuple[str, ...] | None:
        names = getattr(self._model, "feature_names_in_", None)
        return None if names is None else tuple(str(name) for name in names)

    @property
    def scores(self) -> bool:
        return callable(getattr(self._model, "predict_proba", None))

    def predict(
        self, batch: pa.RecordBatch, features: tuple[str, ...], positive: Label | None
    ) -> BatchOutput:
        frame = batch.to_pandas()
        if self.feature_names is None:
            frame = frame.to_numpy()  # fitted on an array: it takes the columns in order
        predictions = np.asarray(self._model.predict(frame))
        scores = None
        if self.scores:
            probabilities = np.asarray(self._model.predict_proba(frame), dtype=np.float64)
            scores = probabilities[:, _positive_index(self._model, positive)]
        return BatchOutput(predictions, scores)


def _positive_index(model: Any, positive: Label | None) -> int:
    """The column of `predict_proba` for the positive class: the declared positive label's
    among `classes_`, else the last class (1 of 0/1, True of False, in scikit-learn's order)."""
    classes = list(getattr(model, "classes_", ()))
    matches = [i for i, label in enumerate(classes) if positive is not None and label == positive]
    return matches[0] if matches else -1
