"""Which columns hold the outcome (label, prediction, score), checked before anything is counted:
each exists and holds plain values (not records or lists), a label or prediction is binary
with a positive value that occurs, a score is numeric, a threshold is a finite number. Errors
name the dataset and column, never the data's values (bar 0/1 and true/false codes).

Which values count as missing (NULL; NaN and ±infinity in a floating-point column; an empty or
blank text) is decided by the data engine (`data.missing_values`) from the column's type
recorded here."""

from __future__ import annotations

import math
from dataclasses import dataclass

from governance.checks.fairness.spec import FairnessSpec, Metric
from governance.data.column_types import is_numeric, nested_kind
from governance.data.engine import DataEngine
from governance.errors import CheckSkipped, InputError
from governance.manifest import DatasetSpec, LoadedManifest

_NEEDS_LABEL = frozenset(
    {
        Metric.TRUE_POSITIVE_RATE,
        Metric.FALSE_POSITIVE_RATE,
        Metric.FALSE_NEGATIVE_RATE,
        Metric.TRUE_NEGATIVE_RATE,
        Metric.PRECISION,
        Metric.ACCURACY,
    }
)
Value = str | int | float | bool


@dataclass(frozen=True)
class BinaryColumn:
    """A two-valued column and the value that counts as positive (None: it never occurs)."""

    column: str
    positive: Value | None
    data_type: str


@dataclass(frozen=True)
class ScoreColumn:
    column: str
    data_type: str


@dataclass(frozen=True)
class OutcomeColumns:
    label: BinaryColumn | None
    prediction: BinaryColumn | None
    """Set when selections come from a prediction column."""
    score: ScoreColumn | None
    threshold: float | None
    """Set when selections are `score >= threshold`."""
    scoring: bool = False
    """Whether scoring rates are computed: then a row without a finite score is a missing
    outcome, like a row without a label or selection."""

    @property
    def selects(self) -> bool:
        return self.prediction is not None or self.threshold is not None


def resolve_outcomes(
    spec: FairnessSpec,
    dataset: DatasetSpec,
    store: DataEngine,
    name: str,
    manifest: LoadedManifest | None = None,
) -> OutcomeColumns:
    """The outcome columns the rule's metrics need, validated against the data (a column the
    data lacks is an error at the manifest line that declares it, when `manifest` is given)."""
    rates = spec.rates()
    types = store.column_types(name)
    needs_label = any(rate in _NEEDS_LABEL for rate in rates)
    needs_selection = any(rate is not Metric.SCORING_RATE for rate in rates)
    needs_score = Metric.SCORING_RATE in rates
    use = spec.use or ("prediction" if dataset.prediction else "score")
    threshold = spec.threshold if spec.threshold is not None else dataset.threshold
    label_column = _declared(dataset.label, "label", name) if needs_label else None
    prediction_column = None
    if needs_selection and use == "prediction":
        prediction_column = _declared(dataset.prediction, "prediction", name)
    if needs_score and dataset.score is None and not needs_selection:
        raise CheckSkipped(
            f"dataset '{name}' declares no score column, so it has no scoring rate (LL144 "
            "scoring rates apply to tools that score)"
        )
    score_column = None
    if needs_score or (needs_selection and use == "score"):
        score_column = _declared(dataset.score, "score", name)
        if needs_selection and use == "score" and threshold is None:
            raise InputError(
                f"dataset '{name}': selections come from score '{score_column}' but no "
                "threshold is set",
                hint="add 'threshold:' to the dataset in the manifest or to the rule",
            )
        if needs_selection and use == "score" and not _finite(threshold):
            # A NaN threshold selects nobody (every comparison with it is false) and every
            # rule on selection rates would pass.
            raise InputError(
                f"dataset '{name}': the threshold on score '{score_column}' is {threshold}, "
                "not a finite number",
                hint="set 'threshold:' to a number such as 0.5",
            )
    for role, column in (
        ("label", label_column),
        ("prediction", prediction_column),
        ("score", score_column),
    ):
        if column is None:
            continue
        if column not in types:
            raise InputError(
                f"dataset '{name}' has no column '{column}' (declared as its {role})",
                location=manifest.document.locate(("datasets", name, role)) if manifest else None,
            )
        refuse_nested(name, column, types[column], f"its {role}")
    score = None
    if score_column is not None:
        if not is_numeric(types[score_column]):
            raise InputError(
                f"score column '{score_column}' of dataset '{name}' is {types[score_column]}, "
                "not numeric"
            )
        score = ScoreColumn(score_column, types[score_column])
    binary = [c for c in (label_column, prediction_column) if c is not None]
    found = store.present_values(name, {column: types[column] for column in binary}, 3)
    values = {column: _binary_values(name, column, found[column], dataset) for column in binary}
    positive = _positive_label(spec, dataset, name, values, manifest)
    _require_positive_in_each(name, positive, values)
    label = prediction = None
    if label_column is not None:
        label = _binary(label_column, values[label_column], positive, types[label_column])
    if prediction_column is not None:
        prediction = _binary(
            prediction_column, values[prediction_column], positive, types[prediction_column]
        )
    return OutcomeColumns(
        label=label,
        prediction=prediction,
        score=score,
        threshold=threshold if prediction is None and needs_selection else None,
        scoring=needs_score,
    )


def refuse_nested(name: str, column: str, data_type: str, role: str) -> None:
    """A record or list column cannot be a group, a label, a prediction or a score: its
    values are compared as whole records (and would be printed as group labels)."""
    kind = nested_kind(data_type)
    if kind is not None:
        raise InputError(
            f"column '{column}' of dataset '{name}' ({role}) is a nested {kind} column, "
            "not one value per row",
            hint="name a column of plain values (text, number or boolean), or flatten the "
            "field you mean into its own column",
        )


def _finite(value: float | None) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _declared(column: str | None, role: str, name: str) -> str:
    if column is None:
        raise InputError(
            f"dataset '{name}' declares no {role} column, which the rule's metrics need",
            hint=f"add '{role}:' to the dataset in the manifest",
        )
    return column


def _binary_values(
    name: str, column: str, values: list[Value], dataset: DatasetSpec
) -> list[Value]:
    """The column's values (up to three were read: enough to tell binary from not)."""
    if len(values) <= 2:
        return sorted(values, key=repr)
    if dataset.from_model is not None and column == dataset.from_model.prediction:
        raise InputError(
            f"the predictions of the manifest's model ('model.artifact'), which 'from_model' "
            f"adds to dataset '{name}' as column '{column}', are not binary: they take more "
            "than two distinct values",
            hint="fairness metrics need a classifier's two-valued predictions: a regressor's "
            "output is a score, rated with 'use: score' and a 'threshold:' (for an ONNX graph, "
            "'model.outputs' names which output is the prediction)",
        )
    raise InputError(
        f"column '{column}' of dataset '{name}' is not binary: it holds more than two "
        "distinct values",
        hint="fairness metrics need a two-valued label and prediction; for a score, "
        "declare 'score:' and 'threshold:' instead",
    )


def _positive_label(
    spec: FairnessSpec,
    dataset: DatasetSpec,
    name: str,
    values: dict[str, list[Value]],
    manifest: LoadedManifest | None,
) -> Value | None:
    if not values:
        return None
    seen = [value for column_values in values.values() for value in column_values]
    declared = spec.positive_label if spec.positive_label is not None else dataset.positive_label
    columns = " or ".join(f"'{column}'" for column in values)
    if declared is not None:
        if not any(_same(value, declared) for value in seen):
            in_manifest = spec.positive_label is None and manifest is not None
            raise InputError(
                f"positive label {declared!r} does not occur in column {columns} of dataset "
                f"'{name}'" + (f" (values: {_shown(seen)})" if _codes(seen) else ""),
                location=manifest.document.locate(("datasets", name, "positive_label"))
                if in_manifest and manifest is not None
                else None,
                hint="set 'positive_label:' to the value that means selected / hired / approved",
            )
        return declared
    if all(_same(value, 0) or _same(value, 1) for value in seen):
        return 1
    raise InputError(
        f"column {columns} of dataset '{name}' is not 0/1 or true/false, so the positive "
        "label is ambiguous",
        hint="set 'positive_label:' on the dataset in the manifest or on the rule",
    )


def _require_positive_in_each(
    name: str, positive: Value | None, values: dict[str, list[Value]]
) -> None:
    """A column with two values must hold the positive label as one of them: a label of
    hired/rejected beside a prediction of 1/0 would otherwise select nobody, and every rate
    built on selections would be 0 for every group (one value may be all negatives)."""
    for column, seen in values.items():
        if positive is not None and len(seen) == 2 and not any(_same(v, positive) for v in seen):
            raise InputError(
                f"positive label {positive!r} does not occur in column '{column}' of dataset "
                f"'{name}'" + (f" (values: {_shown(seen)})" if _codes(seen) else ""),
                hint="encode the label and the prediction alike, or set 'positive_label:' to "
                "the value both use for selected / hired / approved",
            )


def _binary(column: str, values: list[Value], positive: Value | None, kind: str) -> BinaryColumn:
    match = next(
        (value for value in values if positive is not None and _same(value, positive)), None
    )
    return BinaryColumn(column, match, kind)


def _same(value: Value, declared: Value) -> bool:
    """Whether a column value is the declared label: `1`, `1.0`, `true` and `"1"` are the same
    label in a 0/1 column, as YAML and CSV type them differently."""
    if isinstance(value, bool) or isinstance(declared, bool):
        return _as_number(value) == _as_number(declared) is not None
    if isinstance(value, int | float) and isinstance(declared, int | float):
        return float(value) == float(declared)
    return str(value).strip() == str(declared).strip() or (
        _as_number(value) is not None and _as_number(value) == _as_number(declared)
    )


def _as_number(value: Value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    text = value.strip().lower()
    if text in ("true", "false"):
        return float(text == "true")
    try:
        return float(text)
    except ValueError:
        return None


def _codes(values: list[Value]) -> bool:
    """Whether every value is a 0/1 or true/false code: those can be shown in a message, as
    they say nothing about anyone; any other data value never is."""
    return all(
        isinstance(value, bool | int | float) and _as_number(value) in (0.0, 1.0)
        for value in values
    )


def _shown(values: list[Value]) -> str:
    return ", ".join(repr(value) for value in values)
