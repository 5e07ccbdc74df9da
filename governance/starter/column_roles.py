"""Guessing what each column of a dataset is for, from its name and a sample's shape: the true
outcome (label), the model's decision (prediction), its score, and sensitive features. A
guess is only a start: `governance init` says what it guessed, and the user checks it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from governance.starter.data_sample import SampledColumn

_LABEL = frozenset(
    {
        "label",
        "target",
        "y",
        "y_true",
        "outcome",
        "actual",
        "truth",
        "ground_truth",
        "class",
        "hired",
        "approved",
        "accepted",
        "admitted",
        "defaulted",
        "default",
        "churned",
        "churn",
    }
)
_PREDICTION = frozenset(
    {
        "prediction",
        "predicted",
        "pred",
        "y_pred",
        "y_hat",
        "decision",
        "predicted_label",
        "model_decision",
        "selected",
        "recommended",
    }
)
_SCORE = frozenset({"score", "probability", "proba", "prob", "y_score", "y_prob", "likelihood"})
_SENSITIVE = frozenset(
    {
        "sex",
        "gender",
        "race",
        "ethnicity",
        "ethnic",
        "age",
        "religion",
        "disability",
        "nationality",
        "national",
        "citizenship",
        "marital",
        "pregnancy",
        "pregnant",
        "orientation",
        "veteran",
        "colour",
        "color",
        "caste",
        "tribe",
        "indigenous",
    }
)
MAX_GROUPS = 50
"""A sensitive feature with more values than this in the sample is not taken (a raw age, an
id): its groups would be too many and too small to compare."""


@dataclass(frozen=True)
class ColumnGuess:
    label: SampledColumn | None
    prediction: SampledColumn | None
    score: SampledColumn | None
    threshold: float | None
    """0.5 when the score lies between 0 and 1 and there is no prediction column."""
    sensitive_features: tuple[SampledColumn, ...]
    too_many_groups: tuple[SampledColumn, ...]
    """Columns named like a sensitive feature but with more than `MAX_GROUPS` values."""


def words(name: str) -> tuple[str, ...]:
    """`raceEthnicity`, `race-ethnicity`, `Race Ethnicity` → (`race`, `ethnicity`)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return tuple(w for w in re.split(r"[^0-9a-z]+", spaced.lower()) if w)


def _joined(name: str) -> str:
    return "_".join(words(name))


def _first(columns: Iterable[SampledColumn], names: frozenset[str]) -> SampledColumn | None:
    candidates = [c for c in columns if _joined(c.name) in names]
    candidates += [c for c in columns if c not in candidates and set(words(c.name)) & names]
    return candidates[0] if candidates else None


def guess_roles(columns: tuple[SampledColumn, ...]) -> ColumnGuess:
    outcomes = [c for c in columns if c.binary]
    prediction = _first(outcomes, _PREDICTION)
    label = _first([c for c in outcomes if c is not prediction], _LABEL)
    scores = [c for c in columns if c.unit_interval and c not in (label, prediction)]
    score = _first(scores, _SCORE)
    taken = {id(c) for c in (label, prediction, score) if c is not None}
    named = [c for c in columns if id(c) not in taken and set(words(c.name)) & _SENSITIVE]
    return ColumnGuess(
        label=label,
        prediction=prediction,
        score=score,
        threshold=0.5 if score is not None and prediction is None else None,
        sensitive_features=tuple(c for c in named if 0 < c.distinct <= MAX_GROUPS),
        too_many_groups=tuple(c for c in named if c.distinct > MAX_GROUPS),
    )
