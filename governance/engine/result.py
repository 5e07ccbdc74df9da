"""The audit result: one immutable value from which every report is rendered.

Its JSON form is the `audit.json` contract, published as `schemas/audit-result.schema.json`;
`SCHEMA_VERSION` changes with every incompatible change to it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from governance.checks.registry import AnyCheckEvidence
from governance.engine.source_control import SourceControl
from governance.severity import FailOn, Severity
from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.findings import Finding
from governance.vocabulary.fingerprints import fingerprinted
from governance.vocabulary.notes import Note
from governance.vocabulary.output_text import FileName, Identifier, Name, Prose, QuotingText

SCHEMA_VERSION: Literal["1.3"] = "1.3"


class Outcome(StrEnum):
    PASSED = "passed"
    REPORTED = "reported"
    """The rule has no threshold: its check ran and recorded figures, and it can neither pass
    nor fail (LL144's tables)."""
    FAILED = "failed"
    WAIVED = "waived"
    SKIPPED = "skipped"
    ERRORED = "errored"


OUTCOME_ORDER = (
    Outcome.ERRORED,
    Outcome.FAILED,
    Outcome.WAIVED,
    Outcome.SKIPPED,
    Outcome.REPORTED,
    Outcome.PASSED,
)
"""The order reports list outcomes in: what needs attention first. *reported* comes before
*passed*: a control tested by a rule that cannot fail is not shown as passed."""


_CHECKED = frozenset({Outcome.PASSED, Outcome.REPORTED, Outcome.FAILED, Outcome.WAIVED})
"""Outcomes of a check that ran to the end."""


class Verdict(StrEnum):
    PASSED = "passed"
    PASSED_WITH_WAIVERS = "passed_with_waivers"
    REPORTED = "reported"
    """Nothing was judged: every rule that ran has no threshold (an LL144 bias audit)."""
    SKIPPED = "skipped"
    """Nothing was checked: every rule was skipped (a manifest without the datasets or the
    model card its rules apply to). Like *reported*, it does not fail the gate."""
    FAILED = "failed"


_JUDGED = frozenset({Outcome.PASSED, Outcome.FAILED, Outcome.WAIVED})
"""Outcomes of a rule with a threshold that ran."""


class _Value(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)


class RuleOriginInfo(_Value):
    policy: Prose
    path: FileName
    line: int


class RuleInfo(_Value):
    # What a result says about its rule, whatever the outcome (no docstring: the class's
    # docstring would become the published schema's description of `RuleResult`).
    id: Name
    title: Prose
    severity: Severity
    kind: str
    controls: tuple[Prose, ...] = ()
    description: Prose = ""
    remediation: Prose = ""
    origin: RuleOriginInfo


class RuleResult(RuleInfo):
    # Build one with `passed`, `reported`, `failed`, `skipped` or `errored`; any construction
    # is checked (a passed or reported rule has no findings, a failed one has some not yet
    # waived, ...).
    outcome: Outcome
    reason: QuotingText | None = None
    """Why the rule was skipped or errored."""
    findings: tuple[Finding, ...] = ()
    evidence: AnyCheckEvidence | None = None
    notes: tuple[Note, ...] = ()
    """What the verdict leaves out or assumes (a group not compared, values taken as unknown),
    shown beside the outcome in every format."""
    duration_seconds: float = 0.0

    @classmethod
    def passed(
        cls,
        rule: RuleInfo,
        *,
        evidence: AnyCheckEvidence,
        duration_seconds: float,
        notes: tuple[Note, ...] = (),
    ) -> RuleResult:
        return cls(
            **dict(rule),
            outcome=Outcome.PASSED,
            evidence=evidence,
            notes=notes,
            duration_seconds=duration_seconds,
        )

    @classmethod
    def reported(
        cls,
        rule: RuleInfo,
        *,
        evidence: AnyCheckEvidence,
        notes: tuple[Note, ...] = (),
        duration_seconds: float,
    ) -> RuleResult:
        """The result of a rule without a threshold: its figures, and no verdict."""
        return cls(
            **dict(rule),
            outcome=Outcome.REPORTED,
            evidence=evidence,
            notes=notes,
            duration_seconds=duration_seconds,
        )

    @classmethod
    def failed(
        cls,
        rule: RuleInfo,
        *,
        findings: tuple[Finding, ...],
        evidence: AnyCheckEvidence,
        duration_seconds: float,
        notes: tuple[Note, ...] = (),
    ) -> RuleResult:
        return cls(
            **dict(rule),
            outcome=Outcome.FAILED,
            findings=findings,
            evidence=evidence,
            notes=notes,
            duration_seconds=duration_seconds,
        )

    @classmethod
    def skipped(cls, rule: RuleInfo, *, reason: str, duration_seconds: float) -> RuleResult:
        return cls(
            **dict(rule), outcome=Outcome.SKIPPED, reason=reason, duration_seconds=duration_seconds
        )

    @classmethod
    def errored(cls, rule: RuleInfo, *, reason: str, duration_seconds: float) -> RuleResult:
        return cls(
            **dict(rule), outcome=Outcome.ERRORED, reason=reason, duration_seconds=duration_seconds
        )

    def with_waivers_applied(self, findings: tuple[Finding, ...]) -> RuleResult:
        """This failed result with its `findings` as marked by waivers: *waived* when every one
        is covered, still *failed* otherwise."""
        if self.outcome is not Outcome.FAILED or len(findings) != len(self.findings):
            raise ValueError("waivers apply to the findings of a failed rule")
        covered = all(finding.waived_by is not None for finding in findings)
        return RuleResult(
            **{
                **dict(self),
                "findings": findings,
                "outcome": Outcome.WAIVED if covered else Outcome.FAILED,
            }
        )

    @field_validator("findings")
    @classmethod
    def _fingerprinted(
        cls, findings: tuple[Finding, ...], info: ValidationInfo
    ) -> tuple[Finding, ...]:
        # However a result is built (by a check, a test, or read back from audit.json), each of
        # its findings has a fingerprint; one already recorded is kept.
        return fingerprinted(str(info.data.get("id", "")), findings)

    @model_validator(mode="after")
    def _outcome_fits_the_rest(self) -> RuleResult:
        problem = _misfit(self)
        if problem:
            raise ValueError(f"rule '{self.id}': {problem}")
        return self

    def blocks_gate(self, fail_on: FailOn) -> bool:
        """An errored rule always fails the gate; a failed one from `fail_on` severity up;
        nothing else ever does."""
        match self.outcome:
            case Outcome.ERRORED:
                return True
            case Outcome.FAILED:
                return fail_on.gates(self.severity)
            case Outcome.PASSED | Outcome.REPORTED | Outcome.WAIVED | Outcome.SKIPPED:
                return False


def _misfit(result: RuleResult) -> str | None:
    """Which rule an outcome breaks, if any, given the result's reason, findings and evidence."""
    ran = result.outcome in _CHECKED
    unwaived = any(finding.waived_by is None for finding in result.findings)
    if ran and result.reason is not None:
        return "only a skipped or errored rule has a reason"
    if not ran and (result.reason is None or result.findings or result.evidence is not None):
        return "a skipped or errored rule has a reason, and neither findings nor evidence"
    if result.outcome is Outcome.PASSED and result.findings:
        return "a passed rule has no findings"
    if result.outcome is Outcome.REPORTED and result.findings:
        return "a reported rule has no findings"
    if result.outcome is Outcome.FAILED and not unwaived:
        return "a failed rule has findings not waived"
    if result.outcome is Outcome.WAIVED and (not result.findings or unwaived):
        return "a waived rule has findings, all of them waived"
    return None


class InputFile(_Value):
    role: str
    """manifest, policy, catalog, waivers, dataset, model_card, model_artifact, datasheet,
    croissant, technical_documentation."""
    path: FileName
    sha256: str
    size: int
    note: str | None = Field(default=None, exclude_if=lambda note: note is None)
    """How the digest was taken when it is not a file's sha256 (left out when it is): a Spark
    DataFrame's `partitions-sha256` scheme, or a Spark table's identity and version, whose
    content was not hashed."""


class ScoredDatasetInfo(_Value):
    dataset: Identifier
    rows: int
    prediction_column: Identifier
    score_column: Identifier | None = None
    predictions_sha256: str
    """sha256 of the canonical Arrow stream of the model's prediction (and score) columns,
    in row order."""


class ModelInfo(_Value):
    # The model the audit loaded, and the datasets whose predictions and scores it computed:
    # their numbers come from the artifact with this sha256.
    artifact: FileName
    format: Literal["skops", "onnx", "pickle"]
    sha256: str
    size: int
    features: tuple[Identifier, ...]
    trusted_types: tuple[Identifier, ...] = ()
    """Types beyond skops' defaults the manifest trusts."""
    pickle_opt_in: bool = False
    """A pickle was loaded because the manifest opted in (`allow_pickle`) and pinned it."""
    pickle_scan: Prose | None = None
    """The static scan of an opted-in pickle: the scanner and its rating."""
    scored: tuple[ScoredDatasetInfo, ...] = ()


class CardSectionKind(StrEnum):
    INTENDED_USE = "intended_use"
    OUT_OF_SCOPE_USE = "out_of_scope_use"
    LIMITATIONS = "limitations"
    ETHICAL_CONSIDERATIONS = "ethical_considerations"


class CardSection(_Value):
    """A section of the model card, found by the headings the baseline pack requires."""

    kind: CardSectionKind
    heading: Identifier
    line: int
    text: QuotingText
    """The section's text, cut to a few thousand characters; personal data in it masked."""


class ModelCardInfo(_Value):
    """What the model card states that a bill of materials carries: plain fields of its front
    matter, and its sections on use, limitations and ethics that hold more than a
    placeholder."""

    path: FileName
    name: Identifier | None = None
    """`model-index[0].name` of the front matter (Hugging Face metadata), if any."""
    license: Prose | None = None
    task: Prose | None = None
    """`pipeline_tag`, else the first `model-index` result's task type."""
    library: Prose | None = None
    """`library_name`."""
    sections: tuple[CardSection, ...] = ()


class PolicyInfo(_Value):
    name: Prose
    version: Prose
    reference: FileName
    builtin: bool


class WaiverStatus(StrEnum):
    APPLIED = "applied"
    EXPIRED = "expired"
    UNUSED = "unused"


class WaiverRecord(_Value):
    rule: str
    scope: dict[str, Identifier]
    reason: Prose
    owner: Prose
    approved_by: Prose
    expires: dt.date
    status: WaiverStatus
    findings: int
    """How many findings it covers (applied) or would have covered (expired)."""


class CoverageRule(_Value):
    rule: str
    outcome: Outcome | None = None
    """The rule's outcome in the audit; null when coverage is worked out without running one
    (`governance policies coverage`)."""


class ItemCoverage(_Value):
    # One item of a framework's catalog, with the rules that cite it.
    control: Prose
    """The item as rules cite it: `eu-ai-act:annex-iv(2)(g)`."""
    title: Prose
    parent: Prose | None = None
    """The item it is a sub-item of (`eu-ai-act:annex-iv(2)`), if any."""
    leaf: bool
    """An item without sub-items: coverage is counted in leaves. A rule citing a parent item is
    listed on the parent but covers none of its sub-items."""
    rules: tuple[CoverageRule, ...] = ()
    """The rules that cite this item itself."""
    by_report: bool = False
    """The signed audit report answers this item (a policy's `covered_by_report`)."""
    covered: bool
    """A leaf: cited by a rule, or answered by the signed report. A parent: every one of its
    leaves is covered."""
    outcome: Outcome | None = None
    """The worst outcome among the rules citing the item or any of its sub-items."""


class FrameworkCoverage(_Value):
    # A framework the policies cite (or `--framework` names): every item, covered or not.
    framework: str
    """The framework's name, the prefix of its controls: `nist-ai-rmf`."""
    title: Prose
    items: tuple[ItemCoverage, ...]
    """Every item of the catalog, in its order."""
    total: int
    """Leaf items."""
    covered: int
    """Leaf items covered."""
    failing: int
    """Covered leaf items whose worst outcome is failed or errored."""

    @property
    def uncovered(self) -> tuple[ItemCoverage, ...]:
        return tuple(item for item in self.items if item.leaf and not item.covered)

    def summary(self) -> str:
        """`EU AI Act: 14 of 31 items covered, 3 failing`."""
        failing = f", {self.failing} failing" if self.failing else ""
        return f"{self.title}: {self.covered} of {self.total} items covered{failing}"


class ToolInfo(_Value):
    name: Literal["governance"] = "governance"
    version: str
    python: str
    platform: str
    libraries: dict[str, str]


class AuditInfo(_Value):
    name: Identifier
    description: Prose = ""
    manifest: FileName
    created_at: dt.datetime
    """UTC; from SOURCE_DATE_EPOCH when set, so that re-running an audit reproduces it."""
    fail_on: FailOn
    """The lowest severity of a failed rule that fails the gate; `none` for a report-only run."""
    run_by: str | None = None
    """Who ran the audit: `--run-by`, else `GOVERNANCE_RUN_BY`, else the login name."""
    formats: tuple[str, ...] = ()
    """The report formats asked for (`--format`), for the report's reproduce command; empty
    when the audit ran through the Python API."""
    signed: bool = False
    """Whether the reports were asked to be signed (`--sign`)."""
    nlp_model: str | None = None
    """The spaCy model named on the command line (`--nlp-model`), if any."""
    frameworks: tuple[str, ...] = ()
    """The frameworks named with `--framework`, shown even if no rule cites them."""


class BaselineInfo(_Value):
    # The earlier audit this one was gated against (`--baseline`): the gate counts only
    # findings whose fingerprint it did not hold.
    audit: Identifier
    """The baseline audit's name."""
    created_at: dt.datetime
    sha256: str
    """sha256 of the baseline's audit.json."""
    verified: Prose
    """How the baseline was checked before use: its signed folder verified (and against
    which trust), or that it was not signed."""
    known: tuple[str, ...]
    """Fingerprints of this audit's findings that the baseline already held, sorted."""
    new: int
    """Findings of this audit the baseline did not hold."""
    remaining: int
    """Findings of this audit the baseline already held (`known`)."""
    fixed: int
    """Findings of the baseline this audit no longer has."""


class Timings(_Value):
    load_seconds: float
    hash_seconds: float
    checks_seconds: float
    total_seconds: float


class AuditResult(_Value):
    schema_version: Literal["1.3"] = SCHEMA_VERSION
    audit: AuditInfo
    tool: ToolInfo
    policies: tuple[PolicyInfo, ...]
    inputs: tuple[InputFile, ...]
    rules: tuple[RuleResult, ...]
    waivers: tuple[WaiverRecord, ...] = ()
    model: ModelInfo | None = None
    """Set when the audit loaded the model (`model.artifact`)."""
    frameworks: tuple[FrameworkCoverage, ...] = ()
    """Coverage per framework the rules cite (or `--framework` names): every catalog item
    with the rules that cite it and their outcomes."""
    model_card: ModelCardInfo | None = None
    """Set when the manifest declares a model card."""
    source_control: SourceControl | None = None
    """The git state of the manifest's work tree (commit, branch, dirty, remote, uncommitted
    inputs), or why none is recorded; None for a result built without one."""
    baseline: BaselineInfo | None = None
    """Set when the gate counted only findings new since a baseline (`--baseline`)."""
    timings: Timings

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verdict(self) -> Verdict:
        if any(rule.blocks_gate(self.audit.fail_on) for rule in self.rules):
            return Verdict.FAILED
        if any(rule.outcome is Outcome.WAIVED for rule in self.rules):
            return Verdict.PASSED_WITH_WAIVERS
        if any(rule.outcome in _JUDGED for rule in self.rules):
            return Verdict.PASSED
        if any(rule.outcome is Outcome.REPORTED for rule in self.rules):
            return Verdict.REPORTED
        return Verdict.SKIPPED

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        """Rules per outcome, every outcome present."""
        return {o.value: sum(r.outcome is o for r in self.rules) for o in Outcome}

    def catalog_item(self, control: str) -> tuple[FrameworkCoverage, ItemCoverage] | None:
        """The framework and the catalog item a control names (`eu-ai-act:annex-iv(2)(g)`):
        every control a rule of the audit cites is one."""
        for framework in self.frameworks:
            for item in framework.items:
                if item.control == control:
                    return framework, item
        return None

    def gate_failures(self) -> tuple[RuleResult, ...]:
        """The rules that fail the gate; with a baseline, a failed rule whose open findings
        the baseline all held does not (an errored rule always does)."""
        return tuple(
            r for r in self.rules if r.blocks_gate(self.audit.fail_on) and not self._baselined(r)
        )

    def is_new(self, finding: Finding) -> bool:
        """Whether `finding` counts against a baseline gate (every finding, without one)."""
        return self.baseline is None or finding.fingerprint not in self.baseline.known

    def _baselined(self, rule: RuleResult) -> bool:
        return (
            self.baseline is not None
            and rule.outcome is Outcome.FAILED
            and not any(self.is_new(f) for f in rule.findings if f.waived_by is None)
        )


def rules_by_importance(rules: tuple[RuleResult, ...]) -> tuple[RuleResult, ...]:
    """Errored, failed, waived, skipped, reported, passed; within each, the most severe
    first."""
    return tuple(
        sorted(rules, key=lambda r: (OUTCOME_ORDER.index(r.outcome), -r.severity.rank, r.id))
    )
