"""Where the model's input features come from. Today: the manifest's `model.features`; this is
the one place to take them from the loaded model too (`feature_names_in_`, ONNX input names)."""

from __future__ import annotations

from governance.checks.context import CheckContext
from governance.errors import CheckCannotRun


def model_input_features(context: CheckContext) -> tuple[str, ...]:
    """The model's input features, in order; a rule that needs them cannot run without."""
    features = context.manifest.manifest.model.features
    if not features:
        raise CheckCannotRun(
            "the model's input features are unknown: list them in the manifest's 'model.features'"
        )
    return features
