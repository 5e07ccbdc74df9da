"""`metrics.prom`: the audit's figures as OpenMetrics text, for Prometheus and Grafana.

Written for both ways a one-off job's metrics reach Prometheus: the node exporter's textfile
collector and the Pushgateway. Both read the Prometheus text format, of which this is the
common subset with OpenMetrics: gauges only (a figure of one audit is a reading, not a counter
that only grows), no sample timestamps (the textfile collector rejects them and the Pushgateway
refuses them; the audit's own time is the `governance_audit_timestamp_seconds` gauge), `# UNIT`
and `# EOF` lines, which the text format reads as comments. Every sample carries the audit's
name and the model's digest, so audits of several models share one dashboard.

Every label value comes from the result, whose identifiers (groups, columns, datasets) are
masked when it is built; here they are only escaped as the exposition format requires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
from governance.checks.pii.evidence import PiiEvidence
from governance.engine.result import AuditResult, Outcome, RuleResult, Verdict
from governance.severity import Severity

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MetricFamily:
    name: str
    help: str
    unit: str = ""


AUDIT_TIMESTAMP = MetricFamily(
    "governance_audit_timestamp_seconds", "When the audit ran, in Unix time.", "seconds"
)
AUDIT_DURATION = MetricFamily(
    "governance_audit_duration_seconds", "How long the audit took (0 for a pinned date).", "seconds"
)
AUDIT_VERDICT = MetricFamily(
    "governance_audit_verdict", "1 for the audit's verdict, 0 for the other verdicts."
)
AUDIT_RULES = MetricFamily("governance_audit_rules", "Rules per outcome and severity.")
RULE_OUTCOME = MetricFamily(
    "governance_rule_outcome", "1 for the rule's outcome, 0 for the other outcomes."
)
RULE_FINDINGS = MetricFamily("governance_rule_findings", "Findings of the rule not waived.")
FAIRNESS_RATE = MetricFamily(
    "governance_fairness_group_rate_ratio", "A group's rate (selection rate, ...).", "ratio"
)
FAIRNESS_IMPACT = MetricFamily(
    "governance_fairness_group_impact_ratio",
    "A group's rate over the highest compared group's rate.",
    "ratio",
)
FAIRNESS_FAILING = MetricFamily(
    "governance_fairness_group_failing", "1 when the rule fails the group, else 0."
)
FAIRNESS_COMPARED = MetricFamily(
    "governance_fairness_group_compared",
    "1 when the group is compared, 0 when left out (under the minimum size or share).",
)
FAIRNESS_ROWS = MetricFamily("governance_fairness_group_rows", "Rows of the group.")
PII_HIT = MetricFamily(
    "governance_pii_hit_ratio",
    "Share of a column's distinct values scanned that hold the entity.",
    "ratio",
)
PII_UPPER_BOUND = MetricFamily(
    "governance_pii_hit_upper_bound_ratio",
    "One-sided 95% upper bound on the hit ratio when the column was sampled.",
    "ratio",
)

FAMILIES = (
    AUDIT_TIMESTAMP,
    AUDIT_DURATION,
    AUDIT_VERDICT,
    AUDIT_RULES,
    RULE_OUTCOME,
    RULE_FINDINGS,
    FAIRNESS_RATE,
    FAIRNESS_IMPACT,
    FAIRNESS_FAILING,
    FAIRNESS_COMPARED,
    FAIRNESS_ROWS,
    PII_HIT,
    PII_UPPER_BOUND,
)
"""Every metric the file can hold, in the order written (a family without samples in an audit
is still declared)."""

Sample = tuple[MetricFamily, Labels, float]


def render_openmetrics(result: AuditResult) -> str:
    common = (("audit", result.audit.name), ("model_digest", model_digest(result)))
    samples = [*_audit_samples(result), *_rule_samples(result)]
    lines = []
    for family in FAMILIES:
        lines.append(f"# TYPE {family.name} gauge")
        if family.unit:
            lines.append(f"# UNIT {family.name} {family.unit}")
        lines.append(f"# HELP {family.name} {family.help}")
        lines += [
            f"{family.name}{_labels(common + labels)} {_number(value)}"
            for sampled, labels, value in samples
            if sampled is family
        ]
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def model_digest(result: AuditResult) -> str:
    """`sha256:<hex>` of the model artifact the audit loaded or hashed, else `none`."""
    if result.model is not None:
        return f"sha256:{result.model.sha256}"
    artifact = next((i for i in result.inputs if i.role == "model_artifact"), None)
    return f"sha256:{artifact.sha256}" if artifact else "none"


def _audit_samples(result: AuditResult) -> Iterator[Sample]:
    yield AUDIT_TIMESTAMP, (), result.audit.created_at.timestamp()
    yield AUDIT_DURATION, (), result.timings.total_seconds
    for verdict in Verdict:
        yield AUDIT_VERDICT, (("verdict", verdict.value),), float(result.verdict is verdict)
    for outcome in Outcome:
        for severity in Severity:
            count = sum(r.outcome is outcome and r.severity is severity for r in result.rules)
            labels = (("outcome", outcome.value), ("severity", severity.value))
            yield AUDIT_RULES, labels, count


def _rule_samples(result: AuditResult) -> Iterator[Sample]:
    for rule in sorted(result.rules, key=lambda r: r.id):
        labels = (("rule", rule.id), ("severity", rule.severity.value), ("kind", rule.kind))
        for outcome in Outcome:
            state = float(rule.outcome is outcome)
            yield RULE_OUTCOME, (*labels, ("outcome", outcome.value)), state
        yield RULE_FINDINGS, labels, sum(f.waived_by is None for f in rule.findings)
        match rule.evidence:
            case FairnessEvidence() as evidence:
                yield from _fairness_samples(rule, evidence)
            case PiiEvidence() as evidence:
                yield from _pii_samples(rule, evidence)
            case _:
                pass


def _fairness_samples(rule: RuleResult, evidence: FairnessEvidence) -> Iterator[Sample]:
    for feature_set in evidence.feature_sets:
        for comparison in feature_set.rates:
            for group in comparison.groups:
                if group.status not in (GroupStatus.COMPARED, GroupStatus.EXCLUDED):
                    continue
                labels = (
                    ("rule", rule.id),
                    ("dataset", evidence.dataset),
                    ("metric", comparison.metric.value),
                    ("features", feature_set.label),
                    ("group", group.group),
                )
                if group.rate is not None:
                    yield FAIRNESS_RATE, labels, group.rate
                if group.impact_ratio is not None:
                    yield FAIRNESS_IMPACT, labels, group.impact_ratio
                yield FAIRNESS_FAILING, labels, float(group.failing)
                yield FAIRNESS_COMPARED, labels, float(group.status is GroupStatus.COMPARED)
                yield FAIRNESS_ROWS, labels, group.rows


def _pii_samples(rule: RuleResult, evidence: PiiEvidence) -> Iterator[Sample]:
    for column in evidence.columns:
        for found in column.found:
            labels = (
                ("rule", rule.id),
                ("dataset", column.dataset),
                ("column", column.column),
                ("entity", found.entity),
                ("declared", "true" if found.declared else "false"),
            )
            yield PII_HIT, labels, found.hit_rate
            if found.upper_bound is not None:
                yield PII_UPPER_BOUND, labels, found.upper_bound


def _labels(labels: Labels) -> str:
    return "{" + ",".join(f'{name}="{_escaped(value)}"' for name, value in labels) + "}"


def _escaped(value: str) -> str:
    """A label value as the exposition formats quote it: backslash, double quote, line feed."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    # repr gives the shortest text that reads back as the same float; integers without `.0`.
    return str(int(value)) if float(value).is_integer() else repr(float(value))
