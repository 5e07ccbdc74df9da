"""The fairness check: validate the dataset's columns, count every group in one pass, compare
the groups on each rate, and report the groups (or disparities) outside the rule's thresholds."""

from __future__ import annotations

from governance.checks.fairness.comparisons import compare_feature_set
from governance.checks.fairness.counts import DatasetCounts, group_confusion_counts
from governance.checks.fairness.evidence import (
    FairnessEvidence,
    FeatureSetEvidence,
    GroupRate,
    GroupStatus,
)
from governance.checks.fairness.metrics import LABELS
from governance.checks.fairness.outcome_columns import OutcomeColumns, resolve_outcomes
from governance.checks.fairness.spec import Compare, FairnessSpec
from governance.checks.interface import CheckReport
from governance.data.store import DatasetStore, quote_identifier
from governance.engine.context import CheckContext
from governance.engine.findings import Finding, FindingScope
from governance.errors import CheckSkipped, InputError

_PREFIX_ROWS = 100_000


class FairnessCheck:
    def run(self, spec: FairnessSpec, context: CheckContext) -> CheckReport:
        store = context.data
        name = _dataset_name(spec, store)
        dataset = store.spec(name)
        features = spec.sensitive_features or dataset.sensitive_features
        if not features:
            raise InputError(
                f"dataset '{name}' declares no sensitive_features and the rule names none",
                hint="add 'sensitive_features:' to the dataset in the manifest or to the rule",
            )
        _require_columns(store, name, features)
        rows = store.query(name, "SELECT count(*) FROM {dataset}")[0][0]
        if rows == 0:
            raise InputError(f"dataset '{name}' has no rows: no fairness metric can be computed")
        outcomes = resolve_outcomes(spec, dataset, store, name)
        _refuse_identifier_columns(spec, store, name, features)
        feature_sets = _feature_sets(spec, features)
        counts = group_confusion_counts(
            store, name, features, feature_sets, outcomes, spec.unknown_values
        )
        _refuse_many_values(spec, name, _counted_values(counts))
        if counts.overall.outcome_missing and spec.missing_outcomes == "error":
            raise InputError(
                f"{counts.overall.outcome_missing} of {rows} rows of dataset '{name}' have no "
                f"value in {_outcome_columns(outcomes)}",
                hint="fill them in, or set 'missing_outcomes: exclude' on the rule to leave "
                "them out of every rate (their number is reported)",
            )
        evidence_sets = tuple(
            compare_feature_set(spec, feature_set, counts.overall)
            for feature_set in counts.feature_sets
        )
        evidence = FairnessEvidence(
            dataset=name,
            rows=rows,
            outcome_missing=counts.overall.outcome_missing,
            selection=_selection(outcomes),
            median_score=counts.median_score,
            compare=spec.compare,
            measure=spec.measure,
            min=spec.min,
            max=spec.max,
            min_group_size=spec.min_group_size,
            min_share=spec.min_share,
            require_significance=spec.require_significance,
            significance_level=spec.significance_level,
            confidence=spec.confidence,
            feature_sets=evidence_sets,
            warnings=_warnings(counts, outcomes, evidence_sets),
        )
        findings = tuple(
            finding
            for feature_set in evidence_sets
            for finding in _findings(spec, name, feature_set)
        )
        return CheckReport(findings=findings, evidence=evidence)


def _dataset_name(spec: FairnessSpec, store: DatasetStore) -> str:
    if spec.dataset is not None:
        return spec.dataset
    names = store.names()
    if not names:
        raise CheckSkipped("the manifest declares no dataset")
    if len(names) > 1:
        raise InputError(
            f"a fairness rule names no dataset and the manifest declares {len(names)} "
            f"({', '.join(names)})",
            hint="add 'dataset:' to the rule (override a built-in rule with `override: true`)",
        )
    return names[0]


def _require_columns(store: DatasetStore, name: str, features: tuple[str, ...]) -> None:
    columns = store.columns(name)
    for feature in features:
        if feature not in columns:
            raise InputError(
                f"dataset '{name}' has no column '{feature}' (named as a sensitive feature)",
                hint=f"its columns are: {', '.join(columns)}",
            )


def _refuse_identifier_columns(
    spec: FairnessSpec, store: DatasetStore, name: str, features: tuple[str, ...]
) -> None:
    """A sensitive feature with thousands of values is an identifier named by mistake; its
    'groups' would be single rows, and listing them could expose personal data. Checked on the
    first rows before counting (cheap), and again on the counted groups."""
    columns = ", ".join(quote_identifier(f) for f in features)
    counts = ", ".join(f"count(DISTINCT {quote_identifier(f)})" for f in features)
    distinct = store.query(
        name, f"SELECT {counts} FROM (SELECT {columns} FROM {{dataset}} LIMIT {_PREFIX_ROWS})"
    )[0]
    _refuse_many_values(spec, name, dict(zip(features, distinct, strict=True)))


def _refuse_many_values(spec: FairnessSpec, name: str, distinct: dict[str, int]) -> None:
    for feature, count in distinct.items():
        if count > spec.max_groups:
            raise InputError(
                f"sensitive feature '{feature}' of dataset '{name}' has at least {count} "
                f"distinct values, more than max_groups ({spec.max_groups}): is it an identifier?",
                hint="name a categorical column, bin a numeric one (e.g. age bands), or raise "
                "'max_groups' on the rule",
            )


def _counted_values(counts: DatasetCounts) -> dict[str, int]:
    """Distinct known values per feature, from the counted groups."""
    values: dict[str, set[str]] = {}
    for feature_set in counts.feature_sets:
        for key in feature_set.groups:
            for feature, value in zip(feature_set.features, key, strict=True):
                values.setdefault(feature, set()).add(value)
    return {feature: len(seen) for feature, seen in values.items()}


def _feature_sets(spec: FairnessSpec, features: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    sets: list[tuple[str, ...]] = [(f,) for f in features] if spec.per_feature else []
    if spec.intersectional and features not in sets:
        sets.append(features)
    return tuple(sets)


def _outcome_columns(outcomes: OutcomeColumns) -> str:
    columns = [c.column for c in (outcomes.label, outcomes.prediction) if c is not None]
    if outcomes.threshold is not None and outcomes.score is not None:
        columns.append(outcomes.score.column)
    return " or ".join(f"'{column}'" for column in columns)


def _selection(outcomes: OutcomeColumns) -> str | None:
    if outcomes.prediction is not None:
        return f"{outcomes.prediction.column} == {outcomes.prediction.positive!r}"
    if outcomes.threshold is not None and outcomes.score is not None:
        return f"{outcomes.score.column} >= {outcomes.threshold:g}"
    return None


def _warnings(
    counts: DatasetCounts, outcomes: OutcomeColumns, sets: tuple[FeatureSetEvidence, ...]
) -> tuple[str, ...]:
    warnings = []
    overall = counts.overall
    if outcomes.selects and overall.with_selection:
        if overall.selected == 0:
            warnings.append(
                "every selection is negative: selection rates are all 0, so impact ratios are "
                "undefined"
            )
        elif overall.selected == overall.with_selection:
            warnings.append("every selection is positive: selection rates are all 1")
    if outcomes.label is not None and overall.tp + overall.fn in (0, overall.with_selection):
        warnings.append("the label has a single value: some error rates are undefined")
    if overall.outcome_missing:
        warnings.append(
            f"{overall.outcome_missing} rows without a label or selection are left out of "
            "every rate"
        )
    for feature_set in sets:
        known = sum(
            group.status in (GroupStatus.COMPARED, GroupStatus.EXCLUDED)
            for group in feature_set.rates[0].groups
        )
        if known < 2:
            warnings.append(
                f"'{feature_set.label}' has {known} known group{'s' * (known != 1)}: "
                "nothing to compare"
            )
        if feature_set.unknown_rows:
            warnings.append(
                f"{feature_set.unknown_rows} rows have a missing or unknown "
                f"{feature_set.label}: counted, not compared"
            )
    return tuple(warnings)


def _findings(spec: FairnessSpec, dataset: str, feature_set: FeatureSetEvidence) -> list[Finding]:
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
                    f"{what} is {disparity.value:.4g}, {_bound(spec, disparity.value)} "
                    f"(lowest {disparity.lowest}, highest {disparity.highest}"
                    f"{_p(disparity.p_value, disparity.test)})"
                )
            findings.append(Finding(message=message, scope=set_scope))
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
                )
            )
            continue
        findings.extend(
            Finding(
                message=_group_message(spec, label, group, comparison.compared_to),
                scope=FindingScope(dataset=dataset, group=group.group),
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
        f"{group.group}: {label} {what} {group.compared:.3f} is {_bound(spec, group.compared)} "
        f"(rate {group.rate:.3f} over {group.trials} rows"
        + (f", against {against}" if against else "")
        + f"{_p(group.p_value, group.test)})"
    )


def _bound(spec: FairnessSpec, value: float) -> str:
    if spec.min is not None and value < spec.min:
        return f"below the minimum {spec.min:g}"
    return f"above the maximum {spec.max:g}"


def _p(p_value: float | None, test: str | None) -> str:
    return "" if p_value is None else f"; p = {p_value:.2g} by {test}"
