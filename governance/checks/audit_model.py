"""The audited model, for checks: loaded once per audit through the audit's resources (the same
one whose predictions the datasets' `from_model` columns hold)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.model.loading import LoadedModel
from governance.model.source import ModelSource

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext


def model_source(context: CheckContext) -> ModelSource:
    """The audit's model source (the engine registers the one the datasets are scored with)."""
    return context.resources.shared(ModelSource, lambda: ModelSource(context.manifest))


def audit_model(context: CheckContext) -> LoadedModel:
    """The model `model.artifact` names: `path`, `display_path`, `format`, `sha256`, `size`,
    `features` (input feature names, in order), `predictor`. Raises `InputError` at the
    manifest's `model` key when there is none or it cannot be loaded safely."""
    return model_source(context).model()
