"""Where the model's input features come from: the manifest's `model.features`, else the
loaded model's own names (`feature_names_in_`, ONNX input names) when an artifact is declared."""

from __future__ import annotations

from governance.checks.audit_model import audit_model
from governance.checks.context import CheckContext
from governance.errors import CheckCannotRun


def model_input_features(context: CheckContext) -> tuple[str, ...]:
    """The model's input features, in order; a rule that needs them cannot run without."""
    model = context.manifest.manifest.model
    if model.features:
        return model.features
    if model.artifact is not None:
        return audit_model(context).features
    raise CheckCannotRun(
        "the model's input features are unknown: list them in the manifest's "
        "'model.features', or declare the model's artifact"
    )
