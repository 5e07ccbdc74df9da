"""fairlearn's between-group disparities (`compare: difference` or `ratio`): demographic parity,
equal opportunity, equalized odds (worst case or mean), or any single rate's max - min or
min / max, with a test between the lowest and the highest group."""

from __future__ import annotations

from fractions import Fraction

from governance.checks.fairness.evidence import Disparity, GroupRate, GroupStatus, RateComparison
from governance.checks.fairness.metrics import LABELS
from governance.checks.fairness.spec import COMPOSITE_METRICS, Compare, FairnessSpec, Metric
from governance.checks.fairness.statistics import two_proportion_test
from governance.checks.fairness.thresholds import outside_threshold


def disparity(
    spec: FairnessSpec, metric: Metric, by_metric: dict[Metric, RateComparison]
) -> Disparity:
    """fairlearn's between-group difference or ratio of a metric; for equalized odds the worse
    (or the mean) of the true- and false-positive-rate disparities."""
    components = [by_metric[rate] for rate in COMPOSITE_METRICS.get(metric, (metric,))]
    use_ratio = spec.compare is Compare.RATIO
    for component in components:
        value = component.ratio if use_ratio else component.difference
        if value is None:
            reason = component.undefined or "every compared group's rate is 0"
            note = "cannot be judged" if spec.gates else None
            return Disparity(
                metric=metric, value=None, undefined=reason, failing=spec.gates, note=note
            )
    undefined = _undefined_groups(components) if spec.gates else None
    if undefined:  # judged on the other groups only, the rule would pass without them
        return Disparity(
            metric=metric, value=None, undefined=undefined, failing=True, note="cannot be judged"
        )
    values = [
        (component.ratio if use_ratio else component.difference) or 0.0 for component in components
    ]
    if spec.aggregate == "mean" and len(values) > 1:
        value = sum(values) / len(values)
        deciding = components[0]
    else:
        value = min(values) if use_ratio else max(values)
        deciding = components[values.index(value)]
    lowest, highest = _extremes(deciding)
    test = (
        two_proportion_test(lowest.successes, lowest.trials, highest.successes, highest.trials)
        if lowest and highest
        else None
    )
    p_value = test.p_value if test else None
    failing, note = False, None
    if spec.gates and outside_threshold(spec, _exact(spec, components, use_ratio)):
        failing = True
        if spec.require_significance and (p_value is None or p_value >= spec.significance_level):
            failing, note = False, "outside the threshold but not significant"
    return Disparity(
        metric=metric,
        value=value,
        lowest=lowest.group if lowest else None,
        highest=highest.group if highest else None,
        p_value=p_value,
        test=test.test if test else None,
        failing=failing,
        note=note,
    )


def _undefined_groups(components: list[RateComparison]) -> str | None:
    """The compared groups whose rate a disparity needs and cannot have (a TPR with no actual
    positives): `race=C has no true positive rate (no actual positives)`."""
    missing = [
        f"{group.group} has no {LABELS[component.metric]} ({group.undefined})"
        for component in components
        for group in component.groups
        if group.status is GroupStatus.COMPARED and group.rate is None
    ]
    return "; ".join(missing) or None


def _exact(spec: FairnessSpec, components: list[RateComparison], use_ratio: bool) -> Fraction:
    """The disparity `disparity` shows, from the counts exactly: what the bounds judge."""
    values = []
    for component in components:
        rates = [
            Fraction(group.successes, group.trials)
            for group in component.groups
            if group.status is GroupStatus.COMPARED and group.trials
        ]
        lowest, highest = min(rates), max(rates)
        values.append(lowest / highest if use_ratio else highest - lowest)
    if spec.aggregate == "mean" and len(values) > 1:
        return sum(values, Fraction(0)) / len(values)
    return min(values) if use_ratio else max(values)


def _extremes(comparison: RateComparison) -> tuple[GroupRate | None, GroupRate | None]:
    compared = [
        group
        for group in comparison.groups
        if group.status is GroupStatus.COMPARED and group.rate is not None
    ]
    if not compared:
        return None, None
    return (
        min(compared, key=lambda g: g.rate or 0.0),
        max(compared, key=lambda g: g.rate or 0.0),
    )
