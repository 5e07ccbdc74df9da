"""Prohibited inputs: no model input feature is a sensitive feature or a listed name."""

from __future__ import annotations

from governance.checks.context import CheckContext
from governance.checks.interface import CheckReport
from governance.checks.model.evidence import InputFeatureRow, ModelCheckEvidence
from governance.checks.model.feature_names import names_feature
from governance.checks.model.input_features import model_input_features
from governance.checks.model.spec import ProhibitedInputsSpec, SubCheck
from governance.vocabulary.findings import Finding, FindingScope


def check_prohibited_inputs(spec: ProhibitedInputsSpec, context: CheckContext) -> CheckReport:
    prohibited = _prohibited_names(spec, context)
    rows = tuple(_judge(feature, prohibited) for feature in model_input_features(context))
    findings = tuple(
        Finding(message=_message(row), scope=FindingScope(column=row.feature))
        for row in rows
        if row.prohibited_as is not None
    )
    evidence = ModelCheckEvidence(check=SubCheck.PROHIBITED_INPUTS, inputs=rows)
    return CheckReport(findings=findings, evidence=evidence)


def _prohibited_names(spec: ProhibitedInputsSpec, context: CheckContext) -> dict[str, str]:
    """Each prohibited name with why; a name listed by the rule is reported as listed."""
    reasons: dict[str, str] = {}
    if spec.include_sensitive_features:
        datasets = context.manifest.manifest.datasets
        for name in spec.datasets or tuple(datasets):
            declared = datasets[name].sensitive_features
            # a mapped feature is prohibited by its role name and by its column
            names = (*declared, *declared.values()) if isinstance(declared, dict) else declared
            for feature in names:
                reasons.setdefault(feature, f"a sensitive feature of dataset '{name}'")
    for name in spec.prohibited:
        reasons[name] = "listed as prohibited by the rule"
    return reasons


def _judge(feature: str, prohibited: dict[str, str]) -> InputFeatureRow:
    for name, reason in prohibited.items():
        if names_feature(feature, name):
            return InputFeatureRow(feature=feature, prohibited_as=name, reason=reason)
    return InputFeatureRow(feature=feature)


def _message(row: InputFeatureRow) -> str:
    matches = "" if row.prohibited_as == row.feature else f", as '{row.prohibited_as}'"
    return f"model input feature '{row.feature}' is prohibited{matches}: {row.reason}"
