"""The findings of a fairness rule: one per failing group (scoped to the group), or one per
failing disparity or uncomparable rate (scoped to the feature set)."""

from __future__ import annotations

from governance.checks.fairness.evidence import FeatureSetEvidence, GroupRate
from governance.checks.fairness.metrics import LABELS
from governance.checks.fairness.spec import Compare, FairnessSpec
from governance.vocabulary.bound_figures import figure_past
from governance.vocabulary.findings import Finding, FindingScope


def fairness_findings(
    spec: FairnessSpec, dataset: str, feature_set: FeatureSetEvidence
) -> list[Finding]:
    findings = []
    set_scope = FindingScope(dataset=dataset, group=feature_set.label)
    if spec.compare in (Compare.DIFFERENCE, Compare.RATIO):
        for disparity in feature_set.disparities:
            if not disparity.failing:
                continue
            what = f"{LABELS[disparity.metric]} {spec.compare.value} by {feature_set.label}"
            if disparity.value is None:
                message = f"{what} cannot be computed: {disparity.undefined}"
            else:
                message = (
                    f"{what} is {_figure(spec, disparity.value, 4, 'g')}, "
                    f"{_bound(spec, disparity.value)} "
                    f"(lowest {disparity.lowest}, highest {disparity.highest}"
                    f"{_p(disparity.p_value, disparity.test)})"
                )
            subject = disparity.metric.value
            findings.append(Finding(message=message, scope=set_scope, subject=subject))
        return findings
    if not spec.gates:
        return findings
    for comparison in feature_set.rates:
        label = LABELS[comparison.metric]
        if comparison.undefined is not None:
            findings.append(
                Finding(
                    message=f"{label} by {feature_set.label} cannot be compared: "
                    f"{comparison.undefined}",
                    scope=set_scope,
                    subject=comparison.metric.value,
                )
            )
            continue
        findings.extend(
            Finding(
                message=_group_message(spec, label, group, comparison.compared_to),
                scope=FindingScope(dataset=dataset, group=group.group),
                subject=comparison.metric.value,
            )
            for group in comparison.groups
            if group.failing
        )
    return findings


def _group_message(spec: FairnessSpec, label: str, group: GroupRate, against: str | None) -> str:
    if group.compared is None:
        return f"{group.group}: {label} {group.note}"
    what = {
        Compare.RATIO_TO_MAX: "impact ratio",
        Compare.TO_REFERENCE: f"{spec.measure} to the reference",
        Compare.TO_OVERALL: f"{spec.measure} to the overall rate",
    }[spec.compare]
    return (
        f"{group.group}: {label} {what} {_figure(spec, group.compared, 3, 'f')} is "
        f"{_bound(spec, group.compared)} "
        f"(rate {group.rate:.3f} over {group.trials} rows"
        + (f", against {against}" if against else "")
        + f"{_p(group.p_value, group.test)})"
    )


def _figure(spec: FairnessSpec, value: float, digits: int, style: str) -> str:
    bound = spec.min if _below(spec, value) else spec.max
    return (
        f"{value:.{digits}{style}}"
        if bound is None
        else figure_past(value, bound, f".{digits}{style}")
    )


def _bound(spec: FairnessSpec, value: float) -> str:
    if _below(spec, value):
        return f"below the minimum {spec.min:g}"
    return f"above the maximum {spec.max:g}"


def _below(spec: FairnessSpec, value: float) -> bool:
    """Whether a failing value breaks the minimum rather than the maximum. The verdict is
    taken on exact fractions of the counts, and the float shown can land on (or, by a unit of
    rounding, past) the bound the exact value breaks: the bound broken is the only one set,
    or the nearer one."""
    if spec.min is None or spec.max is None:
        return spec.min is not None
    return abs(value - spec.min) <= abs(value - spec.max)


def _p(p_value: float | None, test: str | None) -> str:
    return "" if p_value is None else f"; p = {p_value:.2g} by {test}"
