"""The canonical `AuditResult` every report format is rendered from (and compared with golden
files): every outcome, every waiver status, located and unlocated findings; and evidence of a
kind the renderers do not know."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from governance.checks.documentation.evidence import (
    DocumentationEvidence,
    DocumentEvidence,
    SectionEvidence,
    SectionStatus,
)
from governance.engine.result import (
    AuditInfo,
    AuditResult,
    InputFile,
    Outcome,
    PolicyInfo,
    RuleOriginInfo,
    RuleResult,
    Timings,
    ToolInfo,
    WaiverRecord,
    WaiverStatus,
)
from governance.severity import FailOn, Severity
from governance.vocabulary.evidence_table import ChartBar, EvidenceChart, EvidenceTable
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope

CREATED_AT = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.UTC)


def _origin(line: int, policy: str = "baseline", path: str = "builtin:baseline") -> RuleOriginInfo:
    return RuleOriginInfo(policy=policy, path=path, line=line)


def _card(
    *sections: SectionEvidence, missing_fields: tuple[str, ...] = ()
) -> DocumentationEvidence:
    return DocumentationEvidence(
        documents=(
            DocumentEvidence(
                document="model_card",
                path="MODEL_CARD.md",
                sections=sections,
                required_fields=("license", "language") if missing_fields else (),
                missing_fields=missing_fields,
            ),
        )
    )


def canonical_result(**changes: object) -> AuditResult:
    rules = (
        RuleResult(
            id="DOC-MC-001",
            title="Model card states the intended use",
            severity=Severity.HIGH,
            kind="documentation",
            controls=("eu-ai-act:annex-iv(1)(a)", "eu-ai-act:art13(3)(b)(i)"),
            description="The intended purpose bounds every other claim.",
            remediation='Add an "Intended use" section.',
            origin=_origin(11),
            outcome=Outcome.PASSED,
            evidence=_card(
                SectionEvidence(
                    required="Intended use",
                    status=SectionStatus.FOUND,
                    heading="1. Intended use",
                    line=21,
                    words=54,
                    min_words=15,
                )
            ),
        ),
        RuleResult(
            id="DOC-MC-005",
            title="Model card states known limitations",
            severity=Severity.HIGH,
            kind="documentation",
            controls=("eu-ai-act:annex-iv(3)",),
            description="Where the model performs worse, and why.",
            remediation='Add a "Limitations" section.',
            origin=_origin(65),
            outcome=Outcome.FAILED,
            findings=(
                Finding(
                    message="section 'Limitations' (heading '4. Limitations') holds only a "
                    "placeholder",
                    scope=FindingScope(document="model_card"),
                    location=FindingLocation(path="MODEL_CARD.md", line=45),
                ),
            ),
            evidence=_card(
                SectionEvidence(
                    required="Limitations",
                    status=SectionStatus.PLACEHOLDER,
                    heading="4. Limitations",
                    line=45,
                    words=0,
                    min_words=15,
                )
            ),
        ),
        RuleResult(
            id="DOC-MC-007",
            title="Model card declares its license and metadata",
            severity=Severity.MEDIUM,
            kind="documentation",
            controls=("eu-ai-act:annex-iv(1)(d)",),
            remediation="Add YAML front matter with `license:` and `language:`.",
            origin=_origin(91),
            outcome=Outcome.FAILED,
            findings=(
                Finding(
                    message="front matter lacks required field 'language'",
                    scope=FindingScope(document="model_card"),
                    location=FindingLocation(path="MODEL_CARD.md", line=1),
                ),
            ),
            evidence=_card(missing_fields=("language",)),
        ),
        RuleResult(
            id="DOC-MC-002",
            title="Model card lists out-of-scope uses",
            severity=Severity.MEDIUM,
            kind="documentation",
            controls=("eu-ai-act:annex-iv(3)", "nyc-ll144:5-301(b)"),
            origin=_origin(26),
            outcome=Outcome.WAIVED,
            findings=(
                Finding(
                    message="section 'Out-of-scope use' is missing",
                    scope=FindingScope(document="model_card"),
                    location=FindingLocation(path="MODEL_CARD.md"),
                    waived_by=0,
                ),
            ),
            evidence=_card(
                SectionEvidence(required="Out-of-scope use", status=SectionStatus.MISSING)
            ),
        ),
        RuleResult(
            id="DOC-DS-001",
            title="Datasheet states the motivation",
            severity=Severity.LOW,
            kind="documentation",
            controls=("gdpr:art5(1)(b)",),
            origin=_origin(104),
            outcome=Outcome.SKIPPED,
            reason="no dataset declares a datasheet",
        ),
        RuleResult(
            id="ACME-001",
            title="Human oversight is described",
            severity=Severity.CRITICAL,
            kind="documentation",
            origin=_origin(9, policy="acme", path="acme.yaml"),
            outcome=Outcome.ERRORED,
            reason="RuntimeError: the check crashed",
        ),
        RuleResult(
            id="LL144-SEL-SEX",
            title="Selection rate and impact ratio by sex",
            severity=Severity.INFO,
            kind="fairness",
            controls=("nyc-ll144:5-301(b)(1)", "eu-ai-act:annex-iv(1)(a)"),
            description="Figures LL144 asks for, with no pass threshold.",
            origin=_origin(17, policy="nyc-ll144", path="builtin:nyc-ll144"),
            outcome=Outcome.REPORTED,
        ),
    )
    values: dict[str, object] = {
        "audit": AuditInfo(
            name="canonical",
            description="The audit every report format is tested with.",
            manifest="audit.yaml",
            created_at=CREATED_AT,
            fail_on=FailOn.HIGH,
            run_by="Priya Shah (model risk)",
        ),
        "tool": ToolInfo(
            version="0.1.0",
            python="3.11.7",
            platform="Linux-x86_64",
            libraries={"jinja2": "3.1.6", "weasyprint": "70.0"},
        ),
        "policies": (
            PolicyInfo(name="baseline", version="1.0", reference="builtin:baseline", builtin=True),
            PolicyInfo(name="acme", version="2026.11", reference="acme.yaml", builtin=False),
        ),
        "inputs": (
            InputFile(role="manifest", path="audit.yaml", sha256="a" * 64, size=569),
            InputFile(role="model_card", path="MODEL_CARD.md", sha256="b" * 64, size=1618),
            InputFile(role="dataset", path="data/applicants.csv", sha256="c" * 64, size=539595),
        ),
        "rules": rules,
        "waivers": (
            WaiverRecord(
                rule="DOC-MC-002",
                scope={},
                reason="Agreed with Legal until the next release.",
                owner="talent@acme.example",
                approved_by="Head of People Analytics",
                expires=dt.date(2027, 6, 30),
                status=WaiverStatus.APPLIED,
                findings=1,
            ),
            WaiverRecord(
                rule="DOC-MC-007",
                scope={"document": "model_card"},
                reason="Metadata to follow.",
                owner="ml@acme.example",
                approved_by="CTO",
                expires=dt.date(2026, 9, 30),
                status=WaiverStatus.EXPIRED,
                findings=1,
            ),
            WaiverRecord(
                rule="DOC-MC-001",
                scope={"dataset": "applicants"},
                reason="No longer needed.",
                owner="ml@acme.example",
                approved_by="CTO",
                expires=dt.date(2027, 1, 31),
                status=WaiverStatus.UNUSED,
                findings=0,
            ),
        ),
        "timings": Timings(load_seconds=0, hash_seconds=0, checks_seconds=0, total_seconds=0),
    }
    values.update(changes)
    result = AuditResult.model_validate(values)
    return replace_evidence(result, "LL144-SEL-SEX", REPORTED_EVIDENCE)


class GroupRatesEvidence(BaseModel):
    """Evidence of a kind the renderers have never heard of: they may only use `tables()` and
    `charts()`, which is how the fairness and PII checks' evidence reaches the reports."""

    model_config = ConfigDict(frozen=True)

    kind: str = "group-rates"
    rates: tuple[tuple[str, float | None], ...]
    threshold: float | None = 0.8
    """None for a rule that only reports."""

    def _below(self, rate: float | None) -> bool:
        return rate is not None and self.threshold is not None and rate < self.threshold

    def tables(self) -> tuple[EvidenceTable, ...]:
        if self.threshold is None:
            return (
                EvidenceTable(
                    title="Impact ratio by group",
                    columns=("group", "impact ratio"),
                    rows=self.rates,
                ),
            )
        rows = tuple(
            (group, rate, "yes" if self._below(rate) else "no") for group, rate in self.rates
        )
        return (
            EvidenceTable(
                title="Impact ratio by group",
                columns=("group", "impact ratio", "below threshold"),
                rows=rows,
            ),
        )

    def charts(self) -> tuple[EvidenceChart, ...]:
        bars = tuple(
            ChartBar(label=group, value=rate, flagged=self._below(rate))
            for group, rate in self.rates
        )
        return (
            EvidenceChart(
                title="Impact ratio by group",
                value_label="impact ratio",
                bars=bars,
                reference=self.threshold,
                reference_label="" if self.threshold is None else "four-fifths rule (0.8)",
            ),
        )


REPORTED_EVIDENCE = GroupRatesEvidence(
    rates=(("sex=Female", 0.9591), ("sex=Male", 1.0)), threshold=None
)
"""What the canonical reported rule shows: figures, no threshold."""


def replace_evidence(result: AuditResult, rule_id: str, evidence: object) -> AuditResult:
    """The result with that rule's evidence replaced, bypassing validation, as the evidence
    union does not know the stand-in kinds."""
    rules = tuple(
        r.model_copy(update={"evidence": evidence}) if r.id == rule_id else r for r in result.rules
    )
    return result.model_copy(update={"rules": rules})


def canonical_result_with_chart() -> AuditResult:
    """The canonical audit with group-rate evidence (a table and a chart) on DOC-MC-005."""
    evidence = GroupRatesEvidence(rates=(("female", 0.71), ("male", 1.0), ("unknown", None)))
    return replace_evidence(canonical_result(), "DOC-MC-005", evidence)
