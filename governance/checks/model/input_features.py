"""Where the model's input features come from: the artifact, when one is declared (its own
names, `feature_names_in_` or ONNX input names, or `model.features` once checked against
them), else the manifest's `model.features`."""

from __future__ import annotations

from governance.checks.audit_model import audit_model
from governance.checks.context import CheckContext
from governance.errors import CheckCannotRun


def model_input_features(context: CheckContext) -> tuple[str, ...]:
    """The model's input features, in order; a rule that needs them cannot run without."""
    model = context.manifest.manifest.model
    if model.artifact is not None:  # loading holds `model.features` to what the model takes
        return audit_model(context).features
    if model.features:
        return model.features
    raise CheckCannotRun(
        "the model's input features are unknown: list them in the manifest's "
        "'model.features', or declare the model's artifact"
    )
