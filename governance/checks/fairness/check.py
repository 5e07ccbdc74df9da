"""The fairness check: validate the dataset's columns, count every group in one pass, compare
the groups on each rate, and report the groups (or disparities) outside the rule's thresholds."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from governance.checks.dataset_selection import the_rules_dataset
from governance.checks.fairness.comparisons import compare_feature_set
from governance.checks.fairness.counts import DatasetCounts, group_confusion_counts
from governance.checks.fairness.data_warnings import data_warnings
from governance.checks.fairness.evidence import FairnessEvidence
from governance.checks.fairness.feature_columns import (
    require_columns,
    resolve_features,
    unknown_markers,
)
from governance.checks.fairness.findings import fairness_findings
from governance.checks.fairness.notes import fairness_notes
from governance.checks.fairness.outcome_columns import (
    OutcomeColumns,
    refuse_nested,
    resolve_outcomes,
)
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.interface import CheckReport
from governance.data.engine import DataEngine
from governance.errors import InputError
from governance.manifest import DatasetSpec

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

_PREFIX_ROWS = 100_000
_IDENTIFIER_MIN_ROWS = 20
"""From this many non-empty rows, a feature with more distinct values than half of them is
refused as an identifier (under it, a small sample may legitimately be mostly distinct)."""


class FairnessCheck:
    def run(self, spec: FairnessSpec, context: CheckContext) -> CheckReport:
        store = context.data
        name = the_rules_dataset(spec.dataset, store, "fairness")
        dataset = store.spec(name)
        roles = resolve_features(spec, dataset, name)
        features = tuple(roles.values())
        _require_finite_bounds(spec)
        require_columns(store.columns(name), roles, dataset, name, context.manifest)
        types = store.column_types(name)
        for feature in features:
            refuse_nested(name, feature, types[feature], "a sensitive feature")
        _refuse_personal_data(dataset, name, features)
        rows = store.row_count(name)
        if rows == 0:
            raise InputError(f"dataset '{name}' has no rows: no fairness metric can be computed")
        _refuse_identifier_columns(spec, store, name, features)
        outcomes = resolve_outcomes(spec, dataset, store, name, context.manifest)
        feature_sets = _feature_sets(spec, features)
        counts = group_confusion_counts(
            store, name, features, feature_sets, outcomes, unknown_markers(spec, dataset)
        )
        _refuse_many_values(spec, name, _counted_values(counts))
        if counts.overall.outcome_missing and spec.missing_outcomes == "error":
            raise InputError(
                f"{counts.overall.outcome_missing} of {rows} rows of dataset '{name}' have no "
                f"value in {_outcome_columns(outcomes)} (missing, empty, NaN or "
                "infinite)",
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
            min_group_size=spec.group_size_floor,
            min_share=spec.min_share,
            require_significance=spec.require_significance,
            significance_level=spec.significance_level,
            confidence=spec.confidence,
            feature_sets=evidence_sets,
            mapped_features=tuple(
                (role, column) for role, column in roles.items() if role != column
            ),
            warnings=data_warnings(counts, outcomes, evidence_sets),
        )
        findings = tuple(
            finding
            for feature_set in evidence_sets
            for finding in fairness_findings(spec, name, feature_set)
        )
        return CheckReport(findings=findings, evidence=evidence, notes=fairness_notes(evidence))


def _require_finite_bounds(spec: FairnessSpec) -> None:
    """A NaN bound compares false with every value, so no group would ever fail it; policies
    refuse one when they are loaded, and a rule built in code is held to the same."""
    for key, bound in (("min", spec.min), ("max", spec.max)):
        if bound is not None and not math.isfinite(bound):
            raise InputError(
                f"the rule's '{key}' is {bound}, not a finite number",
                hint=f"set '{key}:' to a number such as 0.8",
            )


def _refuse_personal_data(dataset: DatasetSpec, name: str, features: tuple[str, ...]) -> None:
    """Each value of a sensitive feature becomes a group label in the findings and every report:
    a column the manifest declares as personal data must never be one."""
    for feature in features:
        if feature in dataset.pii_columns:
            raise InputError(
                f"sensitive feature '{feature}' of dataset '{name}' is declared as personal "
                "data in its pii_columns: its values would be printed as group labels in "
                "every report",
                hint="name a categorical attribute (sex, race/ethnicity, an age band); if the "
                "column does hold categories, remove it from 'pii_columns' (being a "
                "sensitive feature already declares it)",
            )


def _refuse_identifier_columns(
    spec: FairnessSpec, store: DataEngine, name: str, features: tuple[str, ...]
) -> None:
    """A sensitive feature with mostly distinct values is an identifier named by mistake (an
    e-mail address, an applicant id): its 'groups' would be single people, printed by value in
    every report. Checked on the first rows before counting (cheap and bounded; exact for
    datasets of up to `_PREFIX_ROWS` rows), and the number of groups again once counted."""
    spread = store.value_spread(name, features, _PREFIX_ROWS)
    for feature, seen in spread.items():
        if seen.present >= _IDENTIFIER_MIN_ROWS and seen.distinct * 2 > seen.present:
            raise InputError(
                f"sensitive feature '{feature}' of dataset '{name}' has {seen.distinct} "
                f"distinct values in {seen.present} non-empty rows (more than half): it looks "
                "like an identifier, whose groups would be single people",
                hint="name a categorical column, or bin a numeric one (e.g. age bands)",
            )
    _refuse_many_values(spec, name, {feature: s.distinct for feature, s in spread.items()})


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
    scored = outcomes.threshold is not None or outcomes.scoring
    if scored and outcomes.score is not None:
        columns.append(outcomes.score.column)
    return " or ".join(f"'{column}'" for column in columns)


def _selection(outcomes: OutcomeColumns) -> str | None:
    if outcomes.prediction is not None:
        return f"{outcomes.prediction.column} == {outcomes.prediction.positive!r}"
    if outcomes.threshold is not None and outcomes.score is not None:
        return f"{outcomes.score.column} >= {outcomes.threshold:g}"
    return None
