"""Performance floors per group: an absolute bound on a rate (accuracy at least 0.8) in every
group of every sensitive feature, beside the fairness check's between-group comparisons. The
groups are counted by the fairness check's one-pass confusion counts."""

from __future__ import annotations

from governance.checks.context import CheckContext
from governance.checks.fairness.counts import ConfusionCounts, group_confusion_counts
from governance.checks.fairness.feature_columns import resolve_features, unknown_markers
from governance.checks.fairness.groups import feature_set_label, group_label, unknown_label
from governance.checks.fairness.metrics import DENOMINATORS, LABELS, ROW_DENOMINATORS, rate
from governance.checks.fairness.outcome_columns import refuse_nested, resolve_outcomes
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.fairness.statistics import wilson_interval
from governance.checks.interface import CheckReport
from governance.checks.model.dataset_choice import measured_dataset, require_columns
from governance.checks.model.evidence import FloorRow, ModelCheckEvidence
from governance.checks.model.spec import PerformanceFloorSpec, SubCheck
from governance.errors import InputError
from governance.vocabulary.bound_figures import figure_past
from governance.vocabulary.findings import Finding, FindingScope

_MAX_GROUPS = 100
"""More distinct values than this in one sensitive feature is taken for an identifier named by
mistake (the fairness check's `max_groups` default)."""


def check_performance_floor(spec: PerformanceFloorSpec, context: CheckContext) -> CheckReport:
    store = context.data
    name = measured_dataset(spec.dataset, store, "performance_floor")
    dataset = store.spec(name)
    fairness = FairnessSpec.model_validate(
        {
            "dataset": name,
            "metrics": (spec.metric.value,),
            "sensitive_features": spec.sensitive_features,
            "positive_label": spec.positive_label,
            "use": spec.use,
            "missing_outcomes": "exclude",
            "unknown_values": spec.unknown_values,
        }
    )
    features = tuple(resolve_features(fairness, dataset, name).values())
    require_columns(store, name, features, "sensitive features")
    types = store.column_types(name)
    for feature in features:
        refuse_nested(name, feature, types[feature], "a sensitive feature")
        if feature in dataset.pii_columns:
            raise InputError(
                f"sensitive feature '{feature}' of dataset '{name}' is declared as personal "
                "data in its pii_columns: its values would be printed as group labels",
                hint="name a categorical attribute (sex, race/ethnicity, an age band)",
            )
    outcomes = resolve_outcomes(fairness, dataset, store, name)
    sets: tuple[tuple[str, ...], ...] = tuple((f,) for f in features)
    if spec.intersectional and len(features) > 1:
        sets += (features,)
    unknown = unknown_markers(fairness, dataset)
    counts = group_confusion_counts(store, name, features, sets, outcomes, unknown)
    for feature_set in counts.feature_sets:
        if len(feature_set.features) == 1 and len(feature_set.groups) > _MAX_GROUPS:
            raise InputError(
                f"sensitive feature '{feature_set.features[0]}' of dataset '{name}' has "
                f"{len(feature_set.groups)} distinct values, more than {_MAX_GROUPS}: is it an "
                "identifier? Its groups would be single people, printed by value",
                hint="name a categorical column, or bin a numeric one (e.g. age bands)",
            )
    rows: list[FloorRow] = []
    unjudged: list[Finding] = []
    for feature_set in counts.feature_sets:
        label = feature_set_label(feature_set.features)
        judged = [
            _row(spec, label, group_label(feature_set.features, key), group)
            for key, group in feature_set.groups.items()
        ]
        rows += judged
        if feature_set.unknown.rows:
            row = _row(spec, label, unknown_label(feature_set.features), feature_set.unknown)
            rows.append(row.model_copy(update={"status": "unknown", "failing": False}))
        if not any(row.status == "compared" for row in judged):
            unjudged.append(_nothing_judged(spec, name, label))
    findings = tuple(_finding(spec, name, row) for row in rows if row.failing) + tuple(unjudged)
    evidence = ModelCheckEvidence(
        check=SubCheck.PERFORMANCE_FLOOR,
        dataset=name,
        metric=spec.metric.value,
        threshold=spec.min,
        floor_max=spec.max,
        floors=tuple(rows),
    )
    return CheckReport(findings=findings, evidence=evidence)


def _row(
    spec: PerformanceFloorSpec, features: str, group: str, counts: ConfusionCounts
) -> FloorRow:
    measured = rate(spec.metric, counts)
    interval = wilson_interval(measured.successes, measured.trials, spec.confidence)
    # Small by the cases the rate is over (actual positives for a TPR), as a fairness rule's
    # groups are; a group with none cannot be judged.
    small = 0 < measured.trials < spec.min_group_size
    value = measured.value
    failing = not small and (
        value is None
        or (spec.min is not None and value < spec.min)
        or (spec.max is not None and value > spec.max)
    )
    note = None
    if small:
        note = (
            f"{measured.trials} {_denominator(spec, measured.trials, counts)}, under the "
            f"minimum group size of {spec.min_group_size}: disclosed, not judged"
        )
    elif value is None:
        note = f"cannot be judged: {measured.undefined_reason}"
    return FloorRow(
        features=features,
        group=group,
        status="small" if small else "compared",
        rows=counts.rows,
        successes=measured.successes,
        trials=measured.trials,
        rate=value,
        ci_low=None if interval is None else interval.low,
        ci_high=None if interval is None else interval.high,
        failing=failing,
        note=note,
    )


def _denominator(spec: PerformanceFloorSpec, trials: int, counts: ConfusionCounts) -> str:
    plain = spec.metric in ROW_DENOMINATORS and trials == counts.rows
    return "rows" if plain else DENOMINATORS[spec.metric]


def _nothing_judged(spec: PerformanceFloorSpec, name: str, features: str) -> Finding:
    """A floor no group was measured against has not been met: it fails, saying why."""
    return Finding(
        message=f"{LABELS[spec.metric]} by {features} cannot be judged: no group has "
        f"{spec.min_group_size} {DENOMINATORS[spec.metric]} (min_group_size) and a known "
        "sensitive value",
        scope=FindingScope(dataset=name, group=features),
    )


def _finding(spec: PerformanceFloorSpec, name: str, row: FloorRow) -> Finding:
    metric = LABELS[spec.metric]
    if row.rate is None:
        message = f"{metric} of group '{row.group}' {row.note}"
    else:
        below = spec.min is not None and row.rate < spec.min
        limit = spec.min if below else spec.max
        assert limit is not None  # a failing rate is past one of them
        bound = f"{'under the minimum' if below else 'over the maximum'} {limit:g}"
        interval = ""
        if row.ci_low is not None and row.ci_high is not None:
            interval = f", Wilson interval [{row.ci_low:.3f}, {row.ci_high:.3f}]"
        message = (
            f"{metric} of group '{row.group}' is {figure_past(row.rate, limit, '.3f')} "
            f"({row.successes}/{row.trials}"
            f"{interval}), {bound}"
        )
    return Finding(message=message, scope=FindingScope(dataset=name, group=row.group))
