"""What every loaded model gives the audit, whatever its format: its input features and, for a
batch of rows, a prediction per row and, when it scores, a score per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass(frozen=True)
class BatchOutput:
    predictions: np.ndarray[Any, Any]
    """One prediction per row (a class label)."""
    scores: np.ndarray[Any, np.dtype[np.float64]] | None
    """The probability of the positive class per row, when the model gives one."""


Label = str | int | float | bool


class Predictor(Protocol):
    @property
    def feature_names(self) -> tuple[str, ...] | None:
        """The input features the model names itself, in order (None: it names none)."""
        ...

    @property
    def scores(self) -> bool:
        """Whether `predict` gives scores."""
        ...

    def predict(
        self, batch: pa.RecordBatch, features: tuple[str, ...], positive: Label | None
    ) -> BatchOutput:
        """Predictions (and scores) for the rows of `batch`, whose columns are `features`;
        the score is the probability of class `positive` (by default the last class)."""
        ...


class InvalidModel(ValueError):
    """The artifact does not hold a model the audit can run; the message says why, `key` is
    the manifest's `model` key to fix and `hint` how."""

    def __init__(self, reason: str, *, key: str = "artifact", hint: str = ""):
        super().__init__(reason)
        self.key = key
        self.hint = hint
