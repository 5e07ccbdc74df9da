"""Comparing groups on each rate: impact ratio to the highest group, ratio or difference to a
reference group or to the whole sample, and fairlearn's between-group and to-overall summaries;
then the thresholds, with a significance test when the rule asks for one."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from governance.checks.fairness.counts import ConfusionCounts, FeatureSetCounts, GroupKey
from governance.checks.fairness.disparities import disparity
from governance.checks.fairness.evidence import (
    Disparity,
    FeatureSetEvidence,
    GroupRate,
    GroupStatus,
    RateComparison,
)
from governance.checks.fairness.groups import (
    Exclusion,
    empty_intersections,
    feature_set_label,
    group_label,
    unknown_label,
)
from governance.checks.fairness.metrics import DENOMINATORS, ROW_DENOMINATORS, Rate, rate
from governance.checks.fairness.spec import (
    Compare,
    FairnessSpec,
    Metric,
)
from governance.checks.fairness.statistics import (
    TestResult,
    small_sample,
    two_proportion_test,
    wilson_interval,
)
from governance.checks.fairness.thresholds import judge_group


@dataclass(frozen=True)
class _Group:
    label: str
    counts: ConfusionCounts
    rate: Rate
    exclusion: str | None

    @property
    def undefined_reason(self) -> str | None:
        return self.rate.undefined_reason

    @property
    def compared(self) -> bool:
        return self.exclusion is None and self.rate.value is not None


def compare_feature_set(
    spec: FairnessSpec, feature_set: FeatureSetCounts, overall: ConfusionCounts
) -> FeatureSetEvidence:
    """Every rate of the rule across the groups of one feature set, judged against the rule."""
    comparisons = tuple(
        _compare_rate(spec, metric, feature_set, overall) for metric in spec.rates()
    )
    by_metric = {comparison.metric: comparison for comparison in comparisons}
    disparities: tuple[Disparity, ...] = ()
    if spec.compare in (Compare.DIFFERENCE, Compare.RATIO):
        disparities = tuple(disparity(spec, metric, by_metric) for metric in spec.metrics)
    empty, empty_count = empty_intersections(feature_set)
    return FeatureSetEvidence(
        features=feature_set.features,
        label=feature_set_label(feature_set.features),
        unknown_rows=feature_set.unknown.rows,
        unknown_values=feature_set.unknown_values,
        empty_groups=tuple(group_label(feature_set.features, key) for key in empty),
        empty_group_count=empty_count,
        rates=comparisons,
        disparities=disparities,
    )


def _compare_rate(
    spec: FairnessSpec, metric: Metric, feature_set: FeatureSetCounts, overall: ConfusionCounts
) -> RateComparison:
    exclusion = Exclusion(spec.group_size_floor, spec.min_share)
    groups = [
        _group(feature_set.features, key, counts, metric, exclusion, overall.rows)
        for key, counts in feature_set.groups.items()
    ]
    compared = [group for group in groups if group.compared]
    overall_rate = rate(metric, overall)
    values = [_value(group) for group in compared]
    undefined = None
    if len(compared) < 2:
        plural = "s" * (len(compared) != 1)
        undefined = f"{len(compared)} group{plural} can be compared; at least 2 are needed"
    top = max(compared, key=_value) if compared else None
    highest = _value(top) if top else None
    comparator, comparator_reason = _comparator(spec, compared, top, overall_rate)
    if comparator_reason and undefined is None:
        undefined = comparator_reason
    rows = [
        _group_rate(spec, group, overall, overall_rate, top, comparator, undefined)
        for group in groups
    ]
    if feature_set.unknown.rows:  # none: said once, in the rule's notes
        rows.append(_unknown_row(spec, metric, feature_set, overall))
    rows += [
        GroupRate(
            group=group_label(feature_set.features, key),
            status=GroupStatus.EMPTY,
            rows=0,
            share=0.0,
            successes=0,
            trials=0,
            rate=None,
            undefined="no row in this intersection",
        )
        for key in empty_intersections(feature_set)[0]
    ]
    smallest = min(values) if values else None
    overall_value = overall_rate.value
    return RateComparison(
        metric=metric,
        overall=overall_value,
        overall_successes=overall_rate.successes,
        overall_trials=overall_rate.trials,
        compared_to=_comparator_name(spec, top, comparator),
        groups=tuple(rows),
        difference=None if highest is None or smallest is None else highest - smallest,
        ratio=None if not highest or smallest is None else smallest / highest,
        difference_to_overall=(
            max(abs(value - overall_value) for value in values)
            if values and overall_value is not None
            else None
        ),
        ratio_to_overall=(
            min(_below_one(value / overall_value) for value in values)
            if values and overall_value
            else None
        ),
        undefined=undefined,
    )


def _group(
    features: tuple[str, ...],
    key: GroupKey,
    counts: ConfusionCounts,
    metric: Metric,
    exclusion: Exclusion,
    total_rows: int,
) -> _Group:
    group_rate = rate(metric, counts)
    plain = metric in ROW_DENOMINATORS and group_rate.trials == counts.rows
    denominator = "rows" if plain else DENOMINATORS[metric]
    return _Group(
        label=group_label(features, key),
        counts=counts,
        rate=group_rate,
        exclusion=exclusion.reason(counts, group_rate.trials, denominator, total_rows),
    )


def _value(group: _Group) -> float:
    value = group.rate.value
    assert value is not None
    return value


def _below_one(ratio: float) -> float:
    """fairlearn's `to_overall` ratio: a ratio above 1 is inverted, as 1 / ratio."""
    return 1 / ratio if ratio > 1 else ratio


def _comparator(
    spec: FairnessSpec, compared: list[_Group], top: _Group | None, overall: Rate
) -> tuple[Rate | _Group | None, str | None]:
    """What each group is compared with, or why nothing can be."""
    match spec.compare:
        case Compare.TO_REFERENCE:
            reference = _find_reference(spec, compared)
            if reference is None:
                return None, (
                    f"reference group '{spec.reference}' is not among the compared groups "
                    "(absent, excluded, or its rate is undefined)"
                )
            if spec.measure == "ratio" and not reference.rate.value:
                return None, f"reference group '{reference.label}' has a rate of 0"
            return reference, None
        case Compare.TO_OVERALL:
            if overall.value is None:
                return None, f"the overall rate is undefined ({overall.undefined_reason})"
            if spec.measure == "ratio" and overall.value == 0:
                return None, "the overall rate is 0"
            return overall, None
        case _:
            if top is not None and top.rate.value == 0:
                return None, "every compared group's rate is 0, so no ratio is defined"
            return top, None


def _find_reference(spec: FairnessSpec, compared: list[_Group]) -> _Group | None:
    wanted = spec.reference or ""
    for group in compared:
        bare = group.label.split("=", 1)[1] if "=" in group.label else group.label
        if wanted in (group.label, bare):
            return group
    return None


def _comparator_name(
    spec: FairnessSpec, top: _Group | None, comparator: Rate | _Group | None
) -> str | None:
    if spec.compare is Compare.TO_OVERALL:
        return "overall"
    if isinstance(comparator, _Group):
        return comparator.label
    return top.label if top else None


def _group_rate(
    spec: FairnessSpec,
    group: _Group,
    overall: ConfusionCounts,
    overall_rate: Rate,
    top: _Group | None,
    comparator: Rate | _Group | None,
    undefined: str | None,
) -> GroupRate:
    value = group.rate.value
    highest = _value(top) if top else None
    interval = wilson_interval(group.rate.successes, group.rate.trials, spec.confidence)
    impact = value / highest if group.compared and value is not None and highest else None
    compared = _compared_value(spec, group, impact, comparator) if group.compared else None
    exact = _exact_compared(spec, group, top, comparator) if group.compared else None
    test = _test(group, comparator, overall_rate) if group.compared else None
    failing, note = judge_group(spec, group, exact, test.p_value if test else None, undefined)
    return GroupRate(
        group=group.label,
        status=GroupStatus.COMPARED if group.exclusion is None else GroupStatus.EXCLUDED,
        rows=group.counts.rows,
        share=group.counts.rows / overall.rows if overall.rows else None,
        successes=group.rate.successes,
        trials=group.rate.trials,
        rate=value,
        undefined=group.rate.undefined_reason,
        ci_low=interval.low if interval else None,
        ci_high=interval.high if interval else None,
        impact_ratio=impact,
        compared=compared,
        p_value=test.p_value if test else None,
        test=test.test if test else None,
        small_sample=small_sample(group.rate.trials),
        outcome_missing=group.counts.outcome_missing,
        exclusion=group.exclusion,
        failing=failing,
        note=note,
    )


def _compared_value(
    spec: FairnessSpec, group: _Group, impact: float | None, comparator: Rate | _Group | None
) -> float | None:
    if comparator is None or spec.compare in (Compare.DIFFERENCE, Compare.RATIO):
        return None
    if spec.compare is Compare.RATIO_TO_MAX:
        return impact
    other = comparator.rate.value if isinstance(comparator, _Group) else comparator.value
    value = group.rate.value
    if other is None or value is None:
        return None
    return value / other if spec.measure == "ratio" else value - other


def _exact_compared(
    spec: FairnessSpec, group: _Group, top: _Group | None, comparator: Rate | _Group | None
) -> Fraction | None:
    """The value `_compared_value` shows, from the counts exactly: what the bounds judge."""
    if comparator is None or spec.compare in (Compare.DIFFERENCE, Compare.RATIO):
        return None
    measure = spec.measure
    if spec.compare is Compare.RATIO_TO_MAX:
        other, measure = (top.rate.exact if top else None), "ratio"
    else:
        other = comparator.rate.exact if isinstance(comparator, _Group) else comparator.exact
    value = group.rate.exact
    if other is None or value is None or (measure == "ratio" and other == 0):
        return None
    return value / other if measure == "ratio" else value - other


def _test(group: _Group, comparator: Rate | _Group | None, overall: Rate) -> TestResult | None:
    """The group against the group it is compared with, or against the rest of the sample."""
    if isinstance(comparator, _Group):
        if comparator is group:
            return None
        other = comparator.rate
        return two_proportion_test(
            group.rate.successes, group.rate.trials, other.successes, other.trials
        )
    if isinstance(comparator, Rate):
        return two_proportion_test(
            group.rate.successes,
            group.rate.trials,
            overall.successes - group.rate.successes,
            overall.trials - group.rate.trials,
        )
    return None


def _unknown_row(
    spec: FairnessSpec, metric: Metric, feature_set: FeatureSetCounts, overall: ConfusionCounts
) -> GroupRate:
    counts = feature_set.unknown
    value = rate(metric, counts)
    interval = wilson_interval(value.successes, value.trials, spec.confidence)
    return GroupRate(
        group=unknown_label(feature_set.features),
        status=GroupStatus.UNKNOWN,
        rows=counts.rows,
        share=counts.rows / overall.rows if overall.rows else None,
        successes=value.successes,
        trials=value.trials,
        rate=value.value,
        undefined=value.undefined_reason,
        ci_low=interval.low if interval else None,
        ci_high=interval.high if interval else None,
        small_sample=small_sample(value.trials),
        outcome_missing=counts.outcome_missing,
        exclusion="sensitive value missing or unknown: counted, not compared",
    )
