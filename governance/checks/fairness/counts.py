"""One pass of counts: every group of every sensitive-feature set reduced to confusion counts
in a single group-by of the data engine, from which every rate, difference, ratio, interval and
test is then derived exactly.

The engine groups by the raw sensitive values, label and selection, and counts rows
(`DataEngine.confusion_counts`); each cell it returns is one confusion cell of one group. When
the full intersection is asked for, only it is counted and every coarser feature set (and the
overall total) is summed from its cells; else every feature set is grouped in the same scan.
Mapping values to labels, unknowns to the unknown group, and label / selection values to
positive, negative or missing happens afterwards on those few hundred cells, never per data
row: that is what keeps it at a fraction of a second for millions of rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields

from governance.checks.fairness.group_order import ordered_groups
from governance.checks.fairness.outcome_columns import BinaryColumn, OutcomeColumns, ScoreColumn
from governance.data.engine import ConfusionCell, ConfusionRequest, DataEngine, TypedColumn

GroupKey = tuple[str, ...]


@dataclass(frozen=True)
class ConfusionCounts:
    """What one group's rows reduce to. A row missing an outcome the rule needs (label,
    selection, or a finite score for scoring rates) is counted in `outcome_missing` and in
    nothing else: none of the confusion cells, not the scored rows."""

    rows: int = 0
    outcome_missing: int = 0
    selected: int = 0
    """Rows with a selection (prediction or score >= threshold) that is positive."""
    with_selection: int = 0
    """Rows whose selection is known (the selection rate's denominator)."""
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    scored: int = 0
    """Rows with a finite score (the scoring rate's denominator)."""
    scoring_above: int = 0
    """Rows scoring above the full sample's median score (LL144's scoring rate), the median
    taken over the finite scores of the rows not missing an outcome."""

    def __add__(self, other: ConfusionCounts) -> ConfusionCounts:
        return ConfusionCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True)
class FeatureSetCounts:
    """The groups of one sensitive-feature set (one feature, or an intersection)."""

    features: tuple[str, ...]
    groups: dict[GroupKey, ConfusionCounts]
    """Known groups, keyed by their values in `features` order, in reading order
    (`group_order`: numbered values such as age bands by their numbers)."""
    unknown: ConfusionCounts
    """Rows whose value is missing or unknown for any feature of the set."""
    unknown_values: tuple[str, ...] = ()
    """The unknown values these rows hold: declared markers as declared, and `MISSING_VALUE`."""


@dataclass(frozen=True)
class DatasetCounts:
    overall: ConfusionCounts
    median_score: float | None
    feature_sets: tuple[FeatureSetCounts, ...]


def group_confusion_counts(
    store: DataEngine,
    name: str,
    features: tuple[str, ...],
    feature_sets: tuple[tuple[str, ...], ...],
    outcomes: OutcomeColumns,
    unknown_values: tuple[str, ...],
) -> DatasetCounts:
    """Confusion counts per group of every feature set, and overall, in one query."""
    request = confusion_request(features, feature_sets, outcomes)
    cells = store.confusion_counts(name, request)
    return _assemble(cells, request, outcomes, _Unknown(unknown_values))


def confusion_request(
    features: tuple[str, ...], feature_sets: tuple[tuple[str, ...], ...], outcomes: OutcomeColumns
) -> ConfusionRequest:
    """What the engine groups by and projects for the rule's outcomes. When the full
    intersection is asked for, only it is counted; each coarser set is a sum of its cells."""
    return ConfusionRequest(
        features=features,
        feature_sets=feature_sets,
        label=_typed(outcomes.label),
        prediction=_typed(outcomes.prediction),
        score=_typed(outcomes.score),
        threshold=outcomes.threshold,
        scoring=outcomes.scoring,
    )


def _typed(column: BinaryColumn | ScoreColumn | None) -> TypedColumn | None:
    return None if column is None else TypedColumn(column.column, column.data_type)


MISSING_VALUE = "(missing)"
"""How the unknown values a feature set met name a missing value: NULL, NaN or empty text."""


class _Unknown:
    """Which raw sensitive values are unknown: NULL, NaN, empty, or a declared marker (compared
    trimmed and case-insensitively)."""

    def __init__(self, markers: Iterable[str]):
        self._markers = {marker.strip().lower(): marker for marker in markers}

    def __call__(self, value: object) -> str | None:
        """The declared marker `value` matches (as declared), `MISSING_VALUE`, or None when
        the value is known."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING_VALUE
        text = str(value).strip().lower()
        return MISSING_VALUE if not text else self._markers.get(text)


def _outcome(value: object, positive: object) -> int | None:
    """1 for the positive value, 0 for the other, None when missing (the query has already
    turned every missing value into NULL)."""
    if value is None:
        return None
    return 1 if positive is not None and value == positive else 0


def _cell(
    outcomes: OutcomeColumns, y_raw: object, p_raw: object, rows: int, scored: int, above: int
) -> ConfusionCounts:
    """The counts of `rows` rows sharing one label value, one selection value, and whether
    they have a finite score (`scored` is 0 or `rows`)."""
    uses_label = outcomes.label is not None
    y = _outcome(y_raw, outcomes.label.positive) if outcomes.label else None
    if outcomes.prediction is not None:
        p = _outcome(p_raw, outcomes.prediction.positive)
    else:
        p = None if p_raw is None else int(bool(p_raw))
    missing = (
        (uses_label and y is None)
        or (outcomes.selects and p is None)
        or (outcomes.scoring and scored < rows)
    )
    if missing:
        return ConfusionCounts(rows=rows, outcome_missing=rows)
    return ConfusionCounts(
        rows=rows,
        selected=rows if p == 1 else 0,
        with_selection=rows if outcomes.selects else 0,
        tp=rows if uses_label and y == 1 and p == 1 else 0,
        fp=rows if uses_label and y == 0 and p == 1 else 0,
        fn=rows if uses_label and y == 1 and p == 0 else 0,
        tn=rows if uses_label and y == 0 and p == 0 else 0,
        scored=scored,
        scoring_above=above,
    )


def _assemble(
    cells: tuple[ConfusionCell, ...],
    request: ConfusionRequest,
    outcomes: OutcomeColumns,
    unknown: _Unknown,
) -> DatasetCounts:
    features, feature_sets, rollup = request.features, request.feature_sets, request.rollup
    width = len(features)
    everything = (1 << width) - 1
    masks = {
        everything - sum(1 << (width - 1 - features.index(f)) for f in feature_set): feature_set
        for feature_set in feature_sets
    }
    first = next(iter(masks))
    overall = ConfusionCounts()
    median: float | None = None
    groups: dict[tuple[str, ...], dict[GroupKey, ConfusionCounts]] = {s: {} for s in feature_sets}
    unknowns = {feature_set: ConfusionCounts() for feature_set in feature_sets}
    met: dict[tuple[str, ...], set[str]] = {feature_set: set() for feature_set in feature_sets}
    for counted in cells:
        values = counted.values
        median = counted.median
        cell = _cell(
            outcomes,
            counted.label,
            counted.selection,
            counted.rows,
            counted.scored,
            counted.above_median,
        )
        if rollup or counted.grouping == first:  # every grouping set partitions all the rows
            overall = overall + cell
        for feature_set in feature_sets if rollup else (masks[counted.grouping],):
            raw = [values[features.index(f)] for f in feature_set]
            markers = {marker for value in raw if (marker := unknown(value)) is not None}
            if markers:
                unknowns[feature_set] = unknowns[feature_set] + cell
                met[feature_set] |= markers
                continue
            key = tuple(str(value) for value in raw)
            known = groups[feature_set]
            known[key] = known.get(key, ConfusionCounts()) + cell
    return DatasetCounts(
        overall=overall,
        median_score=median,
        feature_sets=tuple(
            FeatureSetCounts(
                features=feature_set,
                groups={
                    key: groups[feature_set][key]
                    for key in ordered_groups(groups[feature_set], len(feature_set))
                },
                unknown=unknowns[feature_set],
                unknown_values=tuple(sorted(met[feature_set])),
            )
            for feature_set in feature_sets
        ),
    )
