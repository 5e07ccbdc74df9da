"""The `fairness:` block of a rule: which dataset, which metrics, how groups are compared, and
the thresholds that make a comparison fail."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from governance.config.validation import FrozenModel, Lax


class Metric(StrEnum):
    """Per-group rates, each derived from a group's confusion counts, plus fairlearn's composite
    disparity measures (which only make sense as a between-group difference or ratio)."""

    SELECTION_RATE = "selection_rate"
    SCORING_RATE = "scoring_rate"
    TRUE_POSITIVE_RATE = "true_positive_rate"
    FALSE_POSITIVE_RATE = "false_positive_rate"
    FALSE_NEGATIVE_RATE = "false_negative_rate"
    TRUE_NEGATIVE_RATE = "true_negative_rate"
    PRECISION = "precision"
    ACCURACY = "accuracy"
    DEMOGRAPHIC_PARITY = "demographic_parity"
    EQUAL_OPPORTUNITY = "equal_opportunity"
    EQUALIZED_ODDS = "equalized_odds"


COMPOSITE_METRICS: dict[Metric, tuple[Metric, ...]] = {
    Metric.DEMOGRAPHIC_PARITY: (Metric.SELECTION_RATE,),
    Metric.EQUAL_OPPORTUNITY: (Metric.TRUE_POSITIVE_RATE,),
    Metric.EQUALIZED_ODDS: (Metric.TRUE_POSITIVE_RATE, Metric.FALSE_POSITIVE_RATE),
}
"""fairlearn's definitions: each composite is the between-group difference (or ratio) of these
rates; equalized odds takes the worst (or the mean) of its two."""


class Compare(StrEnum):
    RATIO_TO_MAX = "ratio_to_max"
    """Each group's rate over the highest group's rate: the LL144 / EEOC impact ratio."""
    DIFFERENCE = "difference"
    """Highest minus lowest group rate (fairlearn `difference(method="between_groups")`)."""
    RATIO = "ratio"
    """Lowest over highest group rate (fairlearn `ratio(method="between_groups")`)."""
    TO_REFERENCE = "to_reference"
    """Each group against a named reference group (`reference:`), as `measure:` says."""
    TO_OVERALL = "to_overall"
    """Each group against the whole sample, as `measure:` says."""


GATING_MIN_GROUP_SIZE = 30
"""The default minimum group size of a rule that gates on a bare threshold: the usual floor
for a rate to be read without a test (the normal approximation's rule of thumb, and
`statistics.SMALL_SAMPLE`). 29 CFR 1607.4(D) warns that with small numbers a ratio under
four-fifths may not mean adverse impact."""

PER_GROUP_COMPARISONS = frozenset({Compare.RATIO_TO_MAX, Compare.TO_REFERENCE, Compare.TO_OVERALL})


class FairnessSpec(FrozenModel):
    kind: Literal["fairness"] = "fairness"
    dataset: str | None = Field(default=None, min_length=1)
    """The dataset to check; may be left out when the manifest declares only one (so a shared
    pack need not know the dataset's name)."""
    metrics: tuple[Annotated[Metric, Lax], ...] = Field(min_length=1)
    """`metric: selection_rate` or `metrics: [...]`."""
    compare: Annotated[Compare, Lax] = Compare.RATIO_TO_MAX
    measure: Literal["ratio", "difference"] = "ratio"
    """For `to_reference` and `to_overall`: group / other, or group - other."""
    reference: str | None = None
    """For `to_reference`: the reference group, as a label (`race_ethnicity=White`) or a bare
    value of a single-feature set (`White`)."""
    aggregate: Literal["worst_case", "mean"] = "worst_case"
    """For equalized odds: the worse of the TPR and FPR disparities, or their mean."""
    sensitive_features: tuple[str, ...] | None = None
    """Defaults to the dataset's `sensitive_features` in the manifest. Each is read from the
    column the dataset's mapping gives it (`sensitive_features: {sex: gender}`), else from the
    column of that name."""
    per_feature: bool = True
    """Compare the groups of each sensitive feature on its own."""
    intersectional: bool = False
    """Also compare the intersections of all the sensitive features (sex x race ...)."""
    min: float | None = None
    max: float | None = None
    min_group_size: int | None = Field(default=None, ge=1)
    """Groups with fewer cases than this in a rate's own denominator (rows for a selection
    rate, actual positives for a true positive rate, actual negatives for a false positive
    rate, predicted positives for precision) are excluded from that rate's comparison (and
    disclosed with their count, rate and the reason); a group with none is "cannot be
    judged". Left out, it is `GATING_MIN_GROUP_SIZE` (30) for a rule that gates (`min` or
    `max`) without `require_significance`, and 1 otherwise: a bare threshold on a
    rate of a handful of rows fails on noise (one row in a group makes its rate 0 or 1), while
    a significance test already weighs small groups, and a reporting rule lists every group.
    `group_size_floor` is the value in force, recorded in the evidence."""
    min_share: float = Field(default=0.0, ge=0.0, lt=1.0)
    """Groups under this share of the rows are excluded (LL144 allows 0.02), and disclosed."""
    require_significance: bool = False
    """Fail a group only when its difference from the comparison group is significant."""
    significance_level: float = Field(default=0.05, gt=0.0, lt=1.0)
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    """Level of the Wilson intervals shown beside every rate."""
    positive_label: str | int | float | bool | None = None
    """Defaults to the dataset's `positive_label`, else 1 / true for a 0-1 / boolean column."""
    use: Literal["prediction", "score"] | None = None
    """What a selection is: the prediction column, or `score >= threshold`. Defaults to the
    prediction when the dataset declares one."""
    threshold: float | None = None
    """Overrides the dataset's `threshold` when `use: score`."""
    unknown_values: tuple[str, ...] = ("Unknown",)
    """Sensitive values counted as unknown (compared case-insensitively, trimmed), beside
    missing values, empty strings and the dataset's own `unknown_values` in the manifest."""
    missing_outcomes: Literal["error", "exclude"] = "error"
    """A row without a label or prediction stops the check, or is left out of every rate and
    counted in the evidence."""
    max_groups: int = Field(default=100, ge=2)
    """More distinct values than this in one sensitive feature is taken for an identifier
    column named by mistake, and refused."""

    @model_validator(mode="before")
    @classmethod
    def _one_metric(cls, data: Any) -> Any:
        if isinstance(data, dict) and "metric" in data:
            if "metrics" in data:
                raise ValueError("give either 'metric' or 'metrics', not both")
            rest = {key: value for key, value in data.items() if key != "metric"}
            return {**rest, "metrics": (data["metric"],)}
        return data

    @field_validator("metrics", "sensitive_features", "unknown_values", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> FairnessSpec:
        composite = [m.value for m in self.metrics if m in COMPOSITE_METRICS]
        if composite and self.compare not in (Compare.DIFFERENCE, Compare.RATIO):
            raise ValueError(
                f"'{composite[0]}' is a between-group disparity: use compare: difference or ratio"
            )
        if (self.compare is Compare.TO_REFERENCE) != (self.reference is not None):
            raise ValueError("'reference' goes with compare: to_reference, and it needs one")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) is greater than 'max' ({self.max})")
        if not self.per_feature and not self.intersectional:
            raise ValueError("per_feature and intersectional are both false: nothing to compare")
        if self.sensitive_features is not None and not self.sensitive_features:
            raise ValueError("'sensitive_features' is empty")
        if self.sensitive_features and len(set(self.sensitive_features)) != len(
            self.sensitive_features
        ):
            raise ValueError("'sensitive_features' names a column twice")
        return self

    @property
    def group_size_floor(self) -> int:
        """`min_group_size`, or its default for this rule."""
        if self.min_group_size is not None:
            return self.min_group_size
        return GATING_MIN_GROUP_SIZE if self.gates and not self.require_significance else 1

    @property
    def gates(self) -> bool:
        """Whether the rule has a threshold; without one it reports and never fails."""
        return self.min is not None or self.max is not None

    def rates(self) -> tuple[Metric, ...]:
        """The per-group rates to compute: the metrics, with composites expanded."""
        expanded: list[Metric] = []
        for metric in self.metrics:
            for rate in COMPOSITE_METRICS.get(metric, (metric,)):
                if rate not in expanded:
                    expanded.append(rate)
        return tuple(expanded)

    def referenced_datasets(self) -> tuple[str, ...]:
        return () if self.dataset is None else (self.dataset,)
