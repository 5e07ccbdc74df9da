"""The audit's model, loaded on first use and shared by the scorer and the checks; what it
scored, recorded for the report."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from governance.manifest import LoadedManifest
from governance.model.loading import LoadedModel, load_model


@dataclass(frozen=True)
class ScoredDataset:
    """One dataset scored by the model: what the audit's numbers on it came from."""

    dataset: str
    rows: int
    prediction_column: str
    score_column: str | None
    predictions_sha256: str
    """sha256 of the canonical Arrow stream of the prediction (and score) columns, in row
    order (see `data/frame_digest.py`)."""


class ModelSource:
    """Loads `model.artifact` once per audit, on first use (an audit whose rules never need
    the model never reads it)."""

    def __init__(self, manifest: LoadedManifest):
        self._manifest = manifest
        self._model: LoadedModel | None = None
        self._scored: list[ScoredDataset] = []
        self._lock = threading.Lock()

    def model(self) -> LoadedModel:
        """The loaded model; `InputError` at the manifest's `model` key when it cannot be."""
        with self._lock:
            if self._model is None:
                self._model = load_model(self._manifest)
            return self._model

    @property
    def loaded(self) -> LoadedModel | None:
        return self._model

    def record(self, scored: ScoredDataset) -> None:
        self._scored.append(scored)

    @property
    def scored(self) -> tuple[ScoredDataset, ...]:
        return tuple(self._scored)

    def close(self) -> None:
        """Nothing to release: the session is freed with the object."""
