"""What the model check recorded, per sub-check, shown in every report as evidence tables."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.checks.model.spec import SubCheck
from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.evidence_table import Cell, ChartBar, EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import FileName, Identifier, QuotingText


class _Value(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)


class InputFeatureRow(_Value):
    feature: Identifier
    prohibited_as: Identifier | None = None
    """The prohibited name it matches, when it does."""
    reason: QuotingText | None = None
    """Why that name is prohibited: listed by the rule, or a dataset's sensitive feature."""


class ProxyRow(_Value):
    feature: Identifier
    sensitive_feature: Identifier
    nmi: float | None
    """Normalised mutual information; None when not measured (see `note`)."""
    mutual_information: float | None
    """In nats."""
    rows: int
    """Rows used: those whose sensitive value is known."""
    feature_values: int
    """Bins (numeric) or categories (text) of the feature among those rows, missing included."""
    sensitive_values: int
    failing: bool = False
    note: QuotingText | None = None


class ArtifactEvidence(_Value):
    path: FileName | None
    format: str | None = None
    """Told by the file's content: skops, onnx, pickle or unknown."""
    format_detail: QuotingText | None = None
    allowed_formats: tuple[str, ...] = ()
    size_bytes: int | None = None
    max_bytes: int | None = None
    sha256: str | None = None
    pinned_sha256: str | None = None
    pinned_in: str | None = None
    """`manifest` or `model card`."""


class ClaimRow(_Value):
    model: Identifier
    card_dataset: Identifier | None
    split: Identifier | None
    metric: str
    claimed: float
    measured: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    interval: str | None = None
    """How the interval was computed (Wilson, Hanley-McNeil), or why there is none."""
    trials: int = 0
    """Rows the measurement is over (its denominator)."""
    failing: bool = False
    note: QuotingText | None = None


class FloorRow(_Value):
    features: Identifier
    group: Identifier
    status: Literal["compared", "small", "unknown"]
    rows: int
    successes: int
    trials: int
    rate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    failing: bool = False
    note: QuotingText | None = None


class ModelCheckEvidence(_Value):
    kind: Literal["model"] = "model"
    check: SubCheck
    dataset: Identifier | None = None
    threshold: float | None = None
    """max_nmi, the tolerance of claims, or the floor's min (max for `floor_max`)."""
    floor_max: float | None = None
    metric: str | None = None
    normalization: str | None = None
    inputs: tuple[InputFeatureRow, ...] = ()
    proxies: tuple[ProxyRow, ...] = ()
    artifact: ArtifactEvidence | None = None
    claims: tuple[ClaimRow, ...] = ()
    floors: tuple[FloorRow, ...] = ()

    def tables(self) -> tuple[EvidenceTable, ...]:
        match self.check:
            case SubCheck.PROHIBITED_INPUTS:
                return (self._inputs_table(),)
            case SubCheck.PROXIES:
                return (self._proxies_table(),)
            case SubCheck.ARTIFACT:
                return (self._artifact_table(),)
            case SubCheck.CLAIMS:
                return (self._claims_table(),)
            case SubCheck.PERFORMANCE_FLOOR:
                return (self._floors_table(),)

    def charts(self) -> tuple[EvidenceChart, ...]:
        if self.check is SubCheck.PROXIES and self.proxies:
            return (self._proxies_chart(),)
        return ()

    def _inputs_table(self) -> EvidenceTable:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (r.feature, "prohibited" if r.prohibited_as else "allowed", r.prohibited_as, r.reason)
            for r in self.inputs
        )
        return EvidenceTable(
            title="Model input features",
            columns=("input feature", "status", "matches", "why prohibited"),
            rows=rows,
        )

    def _proxies_table(self) -> EvidenceTable:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                r.feature,
                r.sensitive_feature,
                r.nmi,
                r.mutual_information,
                r.rows,
                r.feature_values,
                r.sensitive_values,
                "fails" if r.failing else "ok",
                r.note,
            )
            for r in self.proxies
        )
        return EvidenceTable(
            title=f"Proxies: normalised mutual information ({self.normalization}) in dataset "
            f"{self.dataset}, max {self.threshold}",
            columns=(
                "input feature",
                "sensitive feature",
                "NMI",
                "MI (nats)",
                "rows used",
                "feature values",
                "sensitive values",
                "status",
                "note",
            ),
            rows=rows,
        )

    def _proxies_chart(self) -> EvidenceChart:
        highest: dict[str, ProxyRow] = {}
        for row in self.proxies:
            best = highest.get(row.feature)
            if best is None or (row.nmi or 0.0) > (best.nmi or 0.0):
                highest[row.feature] = row
        return EvidenceChart(
            title="Highest normalised mutual information with a sensitive feature",
            value_label="NMI",
            bars=tuple(
                ChartBar(label=feature, value=row.nmi, flagged=row.failing)
                for feature, row in highest.items()
            ),
            reference=self.threshold,
            reference_label="max",
        )

    def _artifact_table(self) -> EvidenceTable:
        a = self.artifact
        rows: tuple[tuple[Cell, ...], ...] = ()
        if a is not None:
            pin = a.pinned_sha256 if a.pinned_sha256 else "not pinned"
            rows = (
                ("path", a.path or "not declared"),
                ("format (by content)", a.format),
                ("format detail", a.format_detail),
                ("allowed formats", ", ".join(a.allowed_formats)),
                ("size (bytes)", a.size_bytes),
                ("max size (bytes)", a.max_bytes),
                ("sha256", a.sha256),
                ("pinned sha256", pin),
                ("pinned in", a.pinned_in),
            )
        return EvidenceTable(title="Model artifact", columns=("property", "value"), rows=rows)

    def _claims_table(self) -> EvidenceTable:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                r.model,
                r.card_dataset,
                r.split,
                r.metric,
                r.claimed,
                r.measured,
                r.ci_low,
                r.ci_high,
                r.interval,
                r.trials,
                "fails" if r.failing else "ok",
                r.note,
            )
            for r in self.claims
        )
        return EvidenceTable(
            title=f"Model card claims measured on dataset {self.dataset} "
            f"(tolerance {self.threshold})",
            columns=(
                "model",
                "card dataset",
                "split",
                "metric",
                "claimed",
                "measured",
                "CI low",
                "CI high",
                "interval",
                "rows",
                "status",
                "note",
            ),
            rows=rows,
        )

    def _floors_table(self) -> EvidenceTable:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                r.features,
                r.group,
                r.status,
                r.rows,
                r.successes,
                r.trials,
                r.rate,
                r.ci_low,
                r.ci_high,
                "fails" if r.failing else "ok",
                r.note,
            )
            for r in self.floors
        )
        bounds = " ".join(
            part
            for part in (
                f"min {self.threshold}" if self.threshold is not None else "",
                f"max {self.floor_max}" if self.floor_max is not None else "",
            )
            if part
        )
        return EvidenceTable(
            title=f"{self.metric} per group in dataset {self.dataset} ({bounds})",
            columns=(
                "features",
                "group",
                "status",
                "rows",
                "successes",
                "trials",
                "rate",
                "CI low",
                "CI high",
                "result",
                "note",
            ),
            rows=rows,
        )
