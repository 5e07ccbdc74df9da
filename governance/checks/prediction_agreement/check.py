"""The agreement check: count the rows where the dataset's recorded prediction differs from the
model's (`DataEngine.agreement_counts`: numbers compared as numbers, so 1 and 1.0 agree;
anything else as trimmed text), and fail above the rule's share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.checks.audit_model import audit_model
from governance.checks.interface import CheckReport
from governance.checks.prediction_agreement.evidence import PredictionAgreementEvidence
from governance.checks.prediction_agreement.spec import PredictionAgreementSpec
from governance.errors import InputError
from governance.vocabulary.bound_figures import figure_past
from governance.vocabulary.findings import Finding, FindingScope

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext


class PredictionAgreementCheck:
    def run(self, spec: PredictionAgreementSpec, context: CheckContext) -> CheckReport:
        name = spec.dataset
        declared = context.manifest.manifest.datasets[name]
        if declared.from_model is None:
            raise InputError(
                f"dataset '{name}' does not take its predictions from the model",
                hint="add 'from_model: true' to the dataset in the manifest",
            )
        if declared.prediction is None:
            raise InputError(
                f"dataset '{name}' declares no prediction column to compare with the model's",
                hint="add 'prediction:' (the recorded column) to the dataset in the manifest",
            )
        model_column = context.data.spec(name).prediction  # scores the dataset
        assert model_column is not None
        if declared.prediction not in context.data.columns(name):
            raise InputError(f"dataset '{name}' has no column '{declared.prediction}'")
        counts = context.data.agreement_counts(name, declared.prediction, model_column)
        rows, missing, disagreeing = counts.rows, counts.missing, counts.disagreeing
        if rows == 0:  # "0 of 0 rows differ" would pass a column nothing was compared in
            raise InputError(
                f"dataset '{name}' has no rows: its column '{declared.prediction}' cannot be "
                "compared with the model's predictions"
            )
        model = audit_model(context)
        evidence = PredictionAgreementEvidence(
            dataset=name,
            column=declared.prediction,
            model_column=model_column,
            model_artifact=model.display_path,
            model_sha256=model.sha256,
            rows=rows,
            missing=missing,
            disagreeing=disagreeing,
            max_disagreement=spec.max_disagreement,
        )
        findings: tuple[Finding, ...] = ()
        if evidence.disagreement > spec.max_disagreement:
            findings = (
                Finding(
                    message=(
                        f"column '{declared.prediction}' of dataset '{name}' differs from the "
                        f"predictions of model '{model.display_path}' (sha256 "
                        f"{model.sha256[:12]}…) on {disagreeing} of {rows} rows "
                        f"({figure_past(evidence.disagreement, spec.max_disagreement, '.1%')}"
                        + (f", {missing} of them empty" if missing else "")
                        + f"), above the maximum {spec.max_disagreement:.1%}: the column is "
                        "stale or came from another model"
                    ),
                    scope=FindingScope(dataset=name, column=declared.prediction),
                ),
            )
        return CheckReport(findings=findings, evidence=evidence)
