"""The claims of a Hugging Face model card: its front matter's `model-index` results, each a
metric value on a named dataset and split. A metric the check cannot measure again, or a value
that is not a number, is the user's mistake, reported at its key in the card."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from governance.checks.model.model_card import CardFrontMatter
from governance.config.yaml_document import YamlPath
from governance.errors import InputError


class ClaimedMetric(StrEnum):
    ACCURACY = "accuracy"
    F1 = "f1"
    PRECISION = "precision"
    RECALL = "recall"
    ROC_AUC = "roc_auc"


@dataclass(frozen=True)
class Claim:
    model: str
    dataset: str | None
    """The result's dataset `name`, else its `type`."""
    dataset_type: str | None
    split: str | None
    metric: ClaimedMetric
    value: float


def validate_model_index(front: CardFrontMatter) -> None:
    """The `model-index` has Hugging Face's structure: a list of models, each with a list of
    results whose task has a `type` and whose metrics each have a `type` and a `value`; a
    mistake is an `InputError` at its key."""
    index = front.data.get("model-index")
    if index is None:
        return
    for i, entry in enumerate(_items(front, index, ("model-index",))):
        at: YamlPath = ("model-index", i)
        entry = _mapping(front, entry, at)
        _text(front, entry, "name", at, required=False)
        if "results" not in entry:
            raise front.document.error(
                f"model-index[{i}] has no 'results' (a list of task, dataset and metrics)", at
            )
        for j, result in enumerate(_items(front, entry["results"], (*at, "results"))):
            where: YamlPath = (*at, "results", j)
            result = _mapping(front, result, where)
            task = _mapping(front, result.get("task"), (*where, "task"))
            _text(front, task, "type", (*where, "task"), required=True)
            if result.get("dataset") is not None:
                dataset = _mapping(front, result["dataset"], (*where, "dataset"))
                for key in ("name", "type", "split"):
                    _text(front, dataset, key, (*where, "dataset"), required=False)
            metrics = _items(front, result.get("metrics"), (*where, "metrics"))
            for k, metric in enumerate(metrics):
                metric_at: YamlPath = (*where, "metrics", k)
                metric = _mapping(front, metric, metric_at)
                _text(front, metric, "type", metric_at, required=True)
                if metric.get("value") is None:
                    raise front.document.error(
                        "a model-index metric needs a 'value'", (*metric_at, "value")
                    )


def _text(
    front: CardFrontMatter, mapping: dict[str, Any], key: str, at: YamlPath, *, required: bool
) -> None:
    value = mapping.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise _shape(front, (*at, key), "a non-empty text")


def model_index_claims(front: CardFrontMatter) -> tuple[Claim, ...]:
    """Every metric of every result of every `model-index` entry, in card order."""
    index = front.data.get("model-index")
    if index is None:
        return ()
    entries = _items(front, index, ("model-index",))
    claims = []
    for i, entry in enumerate(entries):
        at: YamlPath = ("model-index", i)
        entry = _mapping(front, entry, at)
        model = str(entry.get("name", f"model-index[{i}]"))
        for j, result in enumerate(_items(front, entry.get("results", []), (*at, "results"))):
            where: YamlPath = (*at, "results", j)
            result = _mapping(front, result, where)
            dataset = _mapping(front, result.get("dataset") or {}, (*where, "dataset"))
            metrics = _items(front, result.get("metrics", []), (*where, "metrics"))
            for k, metric in enumerate(metrics):
                claims.append(_claim(front, model, dataset, metric, (*where, "metrics", k)))
    return tuple(claims)


def _claim(
    front: CardFrontMatter, model: str, dataset: dict[str, Any], metric: Any, at: YamlPath
) -> Claim:
    metric = _mapping(front, metric, at)
    kind = metric.get("type")
    known = ", ".join(m.value for m in ClaimedMetric)
    if not isinstance(kind, str) or kind.strip().lower() not in {m.value for m in ClaimedMetric}:
        raise front.document.error(
            f"model-index names metric {kind!r}, which the audit cannot measure (known: {known})",
            (*at, "type"),
            hint="use one of the known metric types, or remove the claim",
        )
    value = metric.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise front.document.error(
            f"the value of model-index metric '{kind}' must be a finite number", (*at, "value")
        )
    name, kind_of_data = dataset.get("name"), dataset.get("type")
    return Claim(
        model=model,
        dataset=None if name is None and kind_of_data is None else str(name or kind_of_data),
        dataset_type=None if kind_of_data is None else str(kind_of_data),
        split=None if dataset.get("split") is None else str(dataset["split"]),
        metric=ClaimedMetric(kind.strip().lower()),
        value=float(value),
    )


def _items(front: CardFrontMatter, value: Any, at: YamlPath) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _shape(front, at, "a list")
    return list(value)


def _mapping(front: CardFrontMatter, value: Any, at: YamlPath) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _shape(front, at, "a mapping of keys")
    return value


def _shape(front: CardFrontMatter, at: YamlPath, what: str) -> InputError:
    key = str(at[-1]) if isinstance(at[-1], str) else f"{at[-2]}[{at[-1]}]"
    return front.document.error(f"'{key}' in the model card's model-index must be {what}", at)
