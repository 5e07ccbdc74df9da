"""The `model:` block of a rule: exactly one of its sub-checks, each with its own settings.

```yaml
model:
  proxies: {dataset: applicants, max_nmi: 0.3}
```
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from governance.checks.fairness.spec import COMPOSITE_METRICS, Metric
from governance.config.validation import FrozenModel, Lax

Name = Annotated[str, StringConstraints(min_length=1)]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]


def _listify(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class ProhibitedInputsSpec(FrozenModel):
    """The model's input features include no sensitive feature and no listed name."""

    prohibited: tuple[Name, ...] = ()
    """Names no input feature may have, matched tolerantly: case and separators (`Zip-Code`
    is `zip_code`), camelCase, a one-hot or encoder prefix (`race_ethnicity_Black`,
    `onehot__race_ethnicity_Black`)."""
    include_sensitive_features: bool = True
    """Also prohibit every sensitive feature the manifest declares for the datasets below."""
    datasets: tuple[Name, ...] | None = None
    """Whose sensitive features are prohibited; every dataset of the manifest by default."""

    _lists = field_validator("prohibited", "datasets", mode="before")(_listify)

    @model_validator(mode="after")
    def _prohibits_something(self) -> ProhibitedInputsSpec:
        if not self.prohibited and not self.include_sensitive_features:
            raise ValueError(
                "'prohibited' is empty and include_sensitive_features is false: "
                "nothing is prohibited"
            )
        return self


class Normalization(StrEnum):
    """How mutual information is scaled to 0..1: divided by the arithmetic, geometric mean,
    the smaller or the larger of the two entropies (scikit-learn's `average_method`)."""

    ARITHMETIC = "arithmetic"
    GEOMETRIC = "geometric"
    MIN = "min"
    MAX = "max"


class ProxiesSpec(FrozenModel):
    """How well each input feature predicts each sensitive feature, as normalised mutual
    information over the dataset's rows."""

    dataset: Name | None = None
    """The dataset measured; may be left out when the manifest declares only one."""
    max_nmi: float = Field(ge=0.0, le=1.0)
    """A pair whose normalised mutual information is above this fails (0 = independent,
    1 = the one determines the other)."""
    normalization: Annotated[Normalization, Lax] = Normalization.ARITHMETIC
    """The mean of the two entropies the mutual information is divided by;
    `arithmetic` is scikit-learn's default for `normalized_mutual_info_score`."""
    sensitive_features: tuple[Name, ...] | None = None
    """Defaults to the dataset's `sensitive_features` in the manifest."""
    bins: int = Field(default=10, ge=2, le=100)
    """A numeric feature with more distinct values than this is cut into this many quantile
    bins (fewer when values repeat); one with fewer is grouped by value."""
    max_categories: int = Field(default=1000, ge=2)
    """A text feature with more distinct values than this is not measured (an identifier
    would predict every sensitive value in a sample by memorising it): it is reported as
    not measured, and the rule fails."""
    unknown_values: tuple[str, ...] = ("Unknown",)
    """Sensitive values left out of the measure with missing and empty ones (compared
    case-insensitively, trimmed), as the fairness check leaves them out of comparisons."""

    _lists = field_validator("sensitive_features", "unknown_values", mode="before")(_listify)


class ArtifactFormat(StrEnum):
    SKOPS = "skops"
    ONNX = "onnx"
    PICKLE = "pickle"
    UNKNOWN = "unknown"


SAFE_FORMATS = (ArtifactFormat.SKOPS, ArtifactFormat.ONNX)


class ArtifactSpec(FrozenModel):
    """The model artifact is in a format that runs no code when loaded, not too large, and
    its sha256 is pinned and matches."""

    allowed_formats: tuple[Annotated[ArtifactFormat, Lax], ...] = SAFE_FORMATS
    """Formats accepted, told by the file's content (not its extension). Pickle and joblib
    run code when loaded: allowing `pickle` here is a deliberate, reported choice."""
    max_megabytes: float = Field(default=500.0, gt=0.0)
    """The largest artifact accepted, in megabytes (10^6 bytes)."""
    require_pin: bool = True
    """Require the sha256 pinned, in the manifest's `model.sha256` or under
    `card_sha256_key` in the model card's YAML front matter."""
    card_sha256_key: Name = "sha256"
    """The front-matter key of the model card that may pin the artifact's sha256."""

    _lists = field_validator("allowed_formats", mode="before")(_listify)

    @field_validator("allowed_formats")
    @classmethod
    def _known_formats(cls, formats: tuple[ArtifactFormat, ...]) -> tuple[ArtifactFormat, ...]:
        if not formats:
            raise ValueError("'allowed_formats' is empty")
        if ArtifactFormat.UNKNOWN in formats:
            raise ValueError("'unknown' cannot be allowed: name the formats accepted")
        return formats


class ClaimsSpec(FrozenModel):
    """The model card's `model-index` results are measured again on a dataset of the audit;
    a claim better than the measurement by more than the tolerance fails."""

    dataset: Name | None = None
    """The audit dataset measured on (its label, and prediction or score); may be left out
    when the manifest declares only one."""
    card_dataset: Name | None = None
    """Only results on this `model-index` dataset (its `name` or `type`); every result by
    default."""
    split: Name | None = None
    """Only results on this split of it (`test`, `validation`)."""
    tolerance: float = Field(default=0.02, ge=0.0, le=1.0)
    """How much better than the measurement a claim may be (absolute, in metric units)."""
    confidence: Probability = 0.95
    """Level of the interval shown beside each measurement."""
    positive_label: str | int | float | bool | None = None
    """Defaults to the dataset's `positive_label`, else 1 / true."""


FLOOR_METRICS = tuple(m for m in Metric if m not in COMPOSITE_METRICS)


class PerformanceFloorSpec(FrozenModel):
    """An absolute bound on a rate in every group (accuracy at least 0.8 for each group)."""

    dataset: Name | None = None
    """The dataset measured; may be left out when the manifest declares only one."""
    metric: Annotated[Metric, Lax]
    """A per-group rate: accuracy, precision, true_positive_rate, selection_rate, ..."""
    min: float | None = Field(default=None, ge=0.0, le=1.0)
    """Every compared group's rate is at least this."""
    max: float | None = Field(default=None, ge=0.0, le=1.0)
    """Every compared group's rate is at most this (error rates)."""
    sensitive_features: tuple[Name, ...] | None = None
    """Defaults to the dataset's `sensitive_features` in the manifest."""
    intersectional: bool = False
    """Also bound the intersections of all the sensitive features."""
    min_group_size: int = Field(default=30, ge=1)
    """Groups with fewer cases than this in the rate's denominator (rows, or actual positives
    for a true positive rate, ...) are disclosed with their rate, not judged."""
    confidence: Probability = 0.95
    """Level of the Wilson interval shown beside each rate."""
    positive_label: str | int | float | bool | None = None
    """Defaults to the dataset's `positive_label`, else 1 / true."""
    use: Literal["prediction", "score"] | None = None
    """What a selection is: the prediction column, or `score >= threshold`."""
    unknown_values: tuple[str, ...] = ("Unknown",)
    """Sensitive values counted as unknown: disclosed, not judged."""

    _lists = field_validator("sensitive_features", "unknown_values", mode="before")(_listify)

    @model_validator(mode="after")
    def _bounded(self) -> PerformanceFloorSpec:
        if self.metric in COMPOSITE_METRICS:
            raise ValueError(
                f"'{self.metric.value}' is a between-group disparity, not a rate: "
                "use a fairness rule"
            )
        if self.min is None and self.max is None:
            raise ValueError("a performance floor needs 'min' or 'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) is greater than 'max' ({self.max})")
        return self


class SubCheck(StrEnum):
    PROHIBITED_INPUTS = "prohibited_inputs"
    PROXIES = "proxies"
    ARTIFACT = "artifact"
    CLAIMS = "claims"
    PERFORMANCE_FLOOR = "performance_floor"


class ModelCheckSpec(FrozenModel):
    """One sub-check per rule: the block holds exactly one of these keys."""

    kind: Literal["model"] = "model"
    prohibited_inputs: ProhibitedInputsSpec | None = None
    """The model's input features include no sensitive feature and no listed name."""
    proxies: ProxiesSpec | None = None
    """No input feature predicts a sensitive feature (normalised mutual information)."""
    artifact: ArtifactSpec | None = None
    """The artifact runs no code when loaded, is not too large, and is pinned by its sha256."""
    claims: ClaimsSpec | None = None
    """The model card's `model-index` results hold when measured on the audit's dataset."""
    performance_floor: PerformanceFloorSpec | None = None
    """A rate is within bounds in every group of the sensitive features."""

    @model_validator(mode="after")
    def _one_sub_check(self) -> ModelCheckSpec:
        given = [check.value for check in SubCheck if getattr(self, check.value) is not None]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            names = ", ".join(check.value for check in SubCheck)
            raise ValueError(f"a model check needs exactly one of {names}; found {found}")
        return self

    @property
    def sub_check(self) -> SubCheck:
        return next(check for check in SubCheck if getattr(self, check.value) is not None)

    @property
    def gates(self) -> bool:
        """Always: every sub-check has a threshold or a condition that fails the rule."""
        return True

    def failure_conditions(self) -> tuple[str, ...]:
        match self.sub_check:
            case SubCheck.PROHIBITED_INPUTS:
                assert self.prohibited_inputs is not None
                return _prohibited_conditions(self.prohibited_inputs)
            case SubCheck.PROXIES:
                assert self.proxies is not None
                p = self.proxies
                return (
                    f"an input feature's normalised mutual information ({p.normalization.value}) "
                    f"with a sensitive feature is above {p.max_nmi}",
                    f"a text input feature has more than {p.max_categories} values (not measured)",
                    "the model's input features are not declared ('model.features')",
                )
            case SubCheck.ARTIFACT:
                assert self.artifact is not None
                a = self.artifact
                formats = ", ".join(f.value for f in a.allowed_formats)
                conditions = [
                    "no model artifact is declared ('model.artifact')",
                    f"the artifact's content is not one of: {formats}",
                    f"the artifact is larger than {a.max_megabytes:g} MB",
                    "the artifact's sha256 differs from the pinned one",
                ]
                if a.require_pin:
                    conditions.append("the artifact's sha256 is not pinned")
                return tuple(conditions)
            case SubCheck.CLAIMS:
                assert self.claims is not None
                return (
                    "a metric of the model card's model-index is better than the one measured "
                    f"on the dataset by more than {self.claims.tolerance}, or cannot be measured",
                )
            case SubCheck.PERFORMANCE_FLOOR:
                assert self.performance_floor is not None
                f = self.performance_floor
                bounds = " or ".join(
                    text
                    for text, bound in ((f"below {f.min}", f.min), (f"above {f.max}", f.max))
                    if bound is not None
                )
                return (
                    f"the {f.metric.value} of a group of at least {f.min_group_size} rows is "
                    f"{bounds}, or undefined",
                )

    def referenced_datasets(self) -> tuple[str, ...]:
        inner = getattr(self, self.sub_check.value)
        if isinstance(inner, ProhibitedInputsSpec):
            return inner.datasets or ()
        dataset = getattr(inner, "dataset", None)
        return () if dataset is None else (dataset,)


def _prohibited_conditions(spec: ProhibitedInputsSpec) -> tuple[str, ...]:
    conditions = []
    if spec.include_sensitive_features:
        conditions.append("an input feature is (or encodes) a dataset's sensitive feature")
    if spec.prohibited:
        conditions.append(f"an input feature is (or encodes) {', '.join(spec.prohibited)}")
    conditions.append("the model's input features are not declared ('model.features')")
    return tuple(conditions)
