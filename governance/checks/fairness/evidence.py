"""What the fairness check computed: per feature set and rate, a row per group with its counts,
share, rate, Wilson interval, impact ratio, comparison, test, and why it was excluded."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.checks.fairness.metrics import DENOMINATORS, LABELS, ROW_DENOMINATORS
from governance.checks.fairness.spec import Compare, Metric
from governance.vocabulary.bound_figures import figure_past
from governance.vocabulary.evidence_table import Cell, ChartBar, EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import Identifier


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class GroupStatus(StrEnum):
    COMPARED = "compared"
    EXCLUDED = "excluded"
    """Under the minimum size or share: disclosed, not compared."""
    UNKNOWN = "unknown"
    """Rows whose sensitive value is missing or unknown."""
    EMPTY = "empty"
    """An intersection of observed values with no row."""


class GroupRate(_Value):
    group: Identifier
    status: GroupStatus
    rows: int
    share: float | None
    """rows / all rows of the dataset."""
    successes: int
    trials: int
    rate: float | None
    undefined: str | None = None
    """Why the rate is undefined (its denominator is zero)."""
    ci_low: float | None = None
    ci_high: float | None = None
    impact_ratio: float | None = None
    """rate / the highest compared group's rate (LL144, EEOC four-fifths)."""
    compared: float | None = None
    """The value the rule's comparison judges: the impact ratio, or the ratio / difference to
    the reference group or to the whole sample."""
    p_value: float | None = None
    test: str | None = None
    """Against the highest group (or the reference, or the rest of the sample)."""
    small_sample: bool = False
    outcome_missing: int = 0
    exclusion: str | None = None
    failing: bool = False
    note: str | None = None
    """Why a group outside the thresholds does not fail, or could not be judged; or, under a
    rule requiring significance, that a group within them differs significantly."""


class RateComparison(_Value):
    """One rate across the groups of one feature set, with fairlearn's summaries."""

    metric: Metric
    overall: float | None
    overall_successes: int
    overall_trials: int
    compared_to: Identifier | None
    """The group (or `overall`) each group's `compared` value is measured against."""
    groups: tuple[GroupRate, ...]
    difference: float | None
    """max - min over compared groups (fairlearn `difference(method="between_groups")`)."""
    ratio: float | None
    """min / max over compared groups (fairlearn `ratio(method="between_groups")`)."""
    difference_to_overall: float | None
    ratio_to_overall: float | None
    """fairlearn's `to_overall` summaries (the ratio inverted when above 1)."""
    undefined: str | None = None
    """Why no comparison between groups could be made."""


class Disparity(_Value):
    """A between-group comparison (`compare: difference` or `ratio`), as fairlearn defines it."""

    metric: Metric
    value: float | None
    undefined: str | None = None
    lowest: Identifier | None = None
    highest: Identifier | None = None
    p_value: float | None = None
    test: str | None = None
    failing: bool = False
    note: str | None = None


class FeatureSetEvidence(_Value):
    features: tuple[Identifier, ...]
    label: Identifier
    unknown_rows: int
    unknown_values: tuple[Identifier, ...] = ()
    """The values its unknown rows hold, as the manifest or rule declares them, and
    `(missing)` for a missing or empty value."""
    empty_groups: tuple[Identifier, ...] = ()
    empty_group_count: int = 0
    rates: tuple[RateComparison, ...]
    disparities: tuple[Disparity, ...] = ()


class FairnessEvidence(_Value):
    kind: Literal["fairness"] = "fairness"
    dataset: Identifier
    rows: int
    outcome_missing: int
    selection: Identifier | None
    """How a selection was read: `predicted == 1` or `score >= 0.5`."""
    median_score: float | None
    """The full sample's median score (LL144 scoring rates), over finite scores only: those of
    the rows counted in the rates (the scoring rate's `overall_trials`)."""
    compare: Compare
    measure: str
    min: float | None
    max: float | None
    min_group_size: int
    """The minimum group size in force (the rule's, or its default), applied to each rate's
    own denominator (`GroupRate.trials`)."""
    min_share: float
    require_significance: bool
    significance_level: float
    confidence: float
    feature_sets: tuple[FeatureSetEvidence, ...]
    mapped_features: tuple[tuple[Identifier, Identifier], ...] = ()
    """(the rule's name, the dataset's column) for each sensitive feature the manifest maps
    to a column of another name (`sensitive_features: {sex: gender}`)."""
    warnings: tuple[str, ...] = ()

    def tables(self) -> tuple[EvidenceTable, ...]:
        """A table per rate and feature set, in the columns a reader needs; every figure
        behind them (counts, interval bounds, test names, flags) is in the evidence itself.
        Narrow enough for a portrait page: a 14-column table went landscape, most of its
        page empty."""
        tables = []
        # Groups are judged one by one against a threshold, except for a between-group
        # disparity (`difference`, `ratio`), whose verdict is its own table's.
        judged = (self.min is not None or self.max is not None) and self.compare not in (
            Compare.DIFFERENCE,
            Compare.RATIO,
        )
        compared = _COMPARED_HEADER.get(self.compare)
        for feature_set in self.feature_sets:
            for comparison in feature_set.rates:
                trials = _shows_trials(comparison)
                columns = (
                    "group",
                    "rows",
                    *((DENOMINATORS[comparison.metric],) if trials else ()),
                    "share",
                    "rate",
                    f"{self.confidence:.0%} CI",
                    "impact ratio",
                    *((compared.format(measure=self.measure),) if compared else ()),
                    "p-value",
                    "result",
                )
                rows = tuple(
                    _row(
                        group,
                        trials,
                        compared is not None,
                        judged,
                        comparison.undefined,
                        (self.min, self.max),
                    )
                    for group in comparison.groups
                )
                title = (
                    f"{LABELS[comparison.metric]} by {feature_set.label} ({self.dataset}; "
                    f"overall {_number(comparison.overall)}"
                    + self._median_note(comparison)
                    + (f"; compared to {comparison.compared_to}" if comparison.compared_to else "")
                    + ")"
                )
                tables.append(EvidenceTable(title=title, columns=columns, rows=rows))
            if feature_set.disparities:
                tables.append(
                    EvidenceTable(
                        title=f"disparities by {feature_set.label} ({self.dataset})",
                        columns=(
                            "metric",
                            "value",
                            "lowest",
                            "highest",
                            "p-value",
                            "failing",
                            "note",
                        ),
                        rows=tuple(
                            (
                                LABELS[d.metric],
                                _judged(d.failing, d.value, (self.min, self.max)),
                                d.lowest,
                                d.highest,
                                d.p_value,
                                "yes" if d.failing else "no",
                                d.undefined or d.note,
                            )
                            for d in feature_set.disparities
                        ),
                    )
                )
        return tuple(tables)

    def _median_note(self, comparison: RateComparison) -> str:
        """For a scoring rate: the median it is measured against, and over how many scores."""
        if comparison.metric is not Metric.SCORING_RATE or self.median_score is None:
            return ""
        count = comparison.overall_trials
        return f"; above the median {_number(self.median_score)} of {count:,} finite scores"

    def charts(self) -> tuple[EvidenceChart, ...]:
        charts = []
        for feature_set in self.feature_sets:
            for comparison in feature_set.rates:
                bars = tuple(
                    ChartBar(
                        label=group.group,
                        value=group.rate,
                        flagged=group.failing,
                        excluded=group.status is GroupStatus.EXCLUDED,
                    )
                    for group in comparison.groups
                    if group.status in (GroupStatus.COMPARED, GroupStatus.EXCLUDED)
                )
                reference, reference_label = self._reference_line(comparison)
                charts.append(
                    EvidenceChart(
                        title=f"{LABELS[comparison.metric]} by {feature_set.label}",
                        value_label=LABELS[comparison.metric],
                        bars=bars,
                        reference=reference,
                        reference_label=reference_label,
                    )
                )
        return tuple(charts)

    def _reference_line(self, comparison: RateComparison) -> tuple[float | None, str]:
        """The rate the rule's threshold stands for, when it is one rate for every group: e.g.
        0.8 x the highest rate for an impact-ratio rule."""
        bound = self.min if self.min is not None else self.max
        if bound is None or self.compare in (Compare.DIFFERENCE, Compare.RATIO):
            return None, ""
        base = self._comparison_rate(comparison)
        if base is None:
            return None, ""
        against = {
            Compare.RATIO_TO_MAX: "highest rate",
            Compare.TO_REFERENCE: f"rate of {comparison.compared_to}",
            Compare.TO_OVERALL: "overall rate",
        }[self.compare]
        if self.compare is Compare.RATIO_TO_MAX or self.measure == "ratio":
            return bound * base, f"{bound:g} x {against}"
        return base + bound, f"{against} {bound:+g}"

    def _comparison_rate(self, comparison: RateComparison) -> float | None:
        if self.compare is Compare.TO_OVERALL:
            return comparison.overall
        named = [g.rate for g in comparison.groups if g.group == comparison.compared_to]
        return named[0] if named else None


_COMPARED_HEADER = {
    Compare.TO_REFERENCE: "{measure} to reference",
    Compare.TO_OVERALL: "{measure} to overall",
}
"""The column of the value a rule judges, where it is not the impact ratio (`ratio_to_max`) or
a between-group disparity (`difference`, `ratio`: their own table)."""


def _shows_trials(comparison: RateComparison) -> bool:
    """Whether the table needs a column for the rate's denominator: when it is not the group's
    rows (actual positives for a true positive rate, ...), or when rows missing an outcome
    make it smaller than them."""
    return comparison.metric not in ROW_DENOMINATORS or any(
        group.trials != group.rows
        for group in comparison.groups
        if group.status in (GroupStatus.COMPARED, GroupStatus.EXCLUDED)
    )


def _row(
    group: GroupRate,
    with_trials: bool,
    with_compared: bool,
    judged: bool,
    not_compared: str | None,
    bounds: tuple[float | None, float | None],
) -> tuple[Cell, ...]:
    interval = (
        f"{group.ci_low:.3f}–{group.ci_high:.3f}"  # as the report shows rates
        if group.ci_low is not None and group.ci_high is not None
        else None
    )
    return (
        group.group,
        group.rows,
        *((group.trials,) if with_trials else ()),
        group.share,
        group.rate,
        interval,
        group.impact_ratio if with_compared else _judged(group.failing, group.impact_ratio, bounds),
        *((_judged(group.failing, group.compared, bounds),) if with_compared else ()),
        _p_value(group),
        _result(group, judged, not_compared),
    )


def _judged(failing: bool, value: float | None, bounds: tuple[float | None, float | None]) -> Cell:
    """The value a group is judged on; when it fails, with the digits that put it past the
    bound (0.79996 against a minimum of 0.8, where four digits show 0.8 beside "fails")."""
    low, high = bounds
    if not failing or value is None:
        return value
    bound = low if low is not None and value < low else high
    if bound is None:
        return value
    shown = figure_past(value, bound, ".4g")
    return value if shown == f"{value:.4g}" else shown  # a number, where four digits do


def _p_value(group: GroupRate) -> str | None:
    if group.p_value is None:
        return None
    test = "Fisher" if group.test == "fisher-exact" else "z"
    return f"{group.p_value:.3g} ({test})"


def _result(group: GroupRate, judged: bool, not_compared: str | None) -> str:
    """What became of the group: judged against the rule's thresholds (fails / passes, and
    why a group outside them passes), reported (a rule with no threshold, such as LL144's
    disclosure, or a between-group disparity rule), or why it was not compared (excluded, or
    no comparison could be made: `not_compared`)."""
    why = group.undefined or group.exclusion or group.note
    match group.status:
        case GroupStatus.COMPARED if not_compared and not group.failing:
            verdict, why = "not compared", not_compared
        case GroupStatus.COMPARED:
            verdict = "fails" if group.failing else "passes" if judged else "reported"
        case GroupStatus.EXCLUDED:
            verdict = "excluded"
        case GroupStatus.UNKNOWN:  # its note says it was counted and not compared
            verdict, why = why or "not compared", None
        case GroupStatus.EMPTY:
            verdict = "no rows"
    small = group.small_sample and group.status is GroupStatus.COMPARED
    parts = [verdict, *([why] if why else []), *(["small sample"] if small else [])]
    return ": ".join(parts[:2]) + "".join(f"; {part}" for part in parts[2:])


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.4g}"
