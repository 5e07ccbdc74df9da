"""Claims against measurements: each `model-index` result of the model card is measured again
on the audit's dataset (its label, and prediction or score); a claim better than the
measurement by more than the tolerance fails, shown with both numbers and an interval.

Intervals: Wilson score intervals for the proportions (accuracy, precision, recall), with the
fairness check's statistics; Hanley & McNeil (1982) for the ROC AUC. F1 is not a proportion of
trials and gets none."""

from __future__ import annotations

import math
from dataclasses import dataclass

from governance.checks.context import CheckContext
from governance.checks.fairness.counts import ConfusionCounts, group_confusion_counts
from governance.checks.fairness.outcome_columns import OutcomeColumns, resolve_outcomes
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.fairness.statistics import wilson_interval
from governance.checks.interface import CheckReport
from governance.checks.model.dataset_choice import measured_dataset
from governance.checks.model.evidence import ClaimRow, ModelCheckEvidence
from governance.checks.model.model_card import card_front_matter
from governance.checks.model.model_index import Claim, ClaimedMetric, model_index_claims
from governance.checks.model.spec import ClaimsSpec, SubCheck
from governance.data.column_types import is_numeric
from governance.data.engine import TypedColumn
from governance.errors import CheckSkipped, InputError
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope
from governance.vocabulary.written_decimals import written_decimal


@dataclass(frozen=True)
class Measurement:
    value: float | None
    trials: int
    low: float | None = None
    high: float | None = None
    interval: str | None = None


def check_claims(spec: ClaimsSpec, context: CheckContext) -> CheckReport:
    card = context.manifest.manifest.model.card
    if card is None:
        raise CheckSkipped("the manifest declares no model card, so there is no claim to check")
    front = card_front_matter(card)
    claims = _selected(spec, model_index_claims(front) if front is not None else ())
    if not claims:
        raise CheckSkipped(f"the model card's model-index has no result {_selection(spec)}")
    name = measured_dataset(spec.dataset, context.data, "claims")
    measure = _Measurer(spec, context, name)
    rows = tuple(_row(spec, claim, measure(claim.metric)) for claim in claims)
    shown = context.manifest.display_path(card)
    findings = tuple(
        Finding(
            message=_message(row, spec.tolerance, name),
            scope=FindingScope(dataset=name, document="model_card"),
            subject="/".join(p for p in (row.metric, row.card_dataset, row.split) if p),
            location=FindingLocation(path=shown, line=1),
        )
        for row in rows
        if row.failing
    )
    evidence = ModelCheckEvidence(
        check=SubCheck.CLAIMS, dataset=name, threshold=spec.tolerance, claims=rows
    )
    return CheckReport(findings=findings, evidence=evidence)


def _selected(spec: ClaimsSpec, claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    return tuple(
        claim
        for claim in claims
        if (spec.card_dataset is None or spec.card_dataset in (claim.dataset, claim.dataset_type))
        and (spec.split is None or spec.split == claim.split)
    )


def _selection(spec: ClaimsSpec) -> str:
    parts = []
    if spec.card_dataset is not None:
        parts.append(f"on dataset '{spec.card_dataset}'")
    if spec.split is not None:
        parts.append(f"split '{spec.split}'")
    return " ".join(parts) if parts else "with a metric"


class _Measurer:
    """Measures each metric once, on demand: confusion counts from the fairness check's
    counting, the ROC AUC from a rank query."""

    def __init__(self, spec: ClaimsSpec, context: CheckContext, name: str):
        self._spec, self._context, self._name = spec, context, name
        self._counts: ConfusionCounts | None = None
        self._outcomes: OutcomeColumns | None = None

    def __call__(self, metric: ClaimedMetric) -> Measurement:
        if metric is ClaimedMetric.ROC_AUC:
            return self._auc()
        c = self._confusion()
        if metric is ClaimedMetric.F1:
            trials = 2 * c.tp + c.fp + c.fn
            value = None if trials == 0 else 2 * c.tp / trials
            return Measurement(value, c.tp + c.fp + c.fn, interval="none (not a proportion)")
        successes, trials = {
            ClaimedMetric.ACCURACY: (c.tp + c.tn, c.tp + c.fp + c.fn + c.tn),
            ClaimedMetric.PRECISION: (c.tp, c.tp + c.fp),
            ClaimedMetric.RECALL: (c.tp, c.tp + c.fn),
        }[metric]
        interval = wilson_interval(successes, trials, self._spec.confidence)
        return Measurement(
            None if trials == 0 else successes / trials,
            trials,
            None if interval is None else interval.low,
            None if interval is None else interval.high,
            "Wilson",
        )

    def _outcome_columns(self) -> OutcomeColumns:
        if self._outcomes is None:
            store = self._context.data
            fairness = FairnessSpec.model_validate(
                {
                    "dataset": self._name,
                    "metrics": ("accuracy",),
                    "positive_label": self._spec.positive_label,
                    "missing_outcomes": "exclude",
                }
            )
            self._outcomes = resolve_outcomes(fairness, store.spec(self._name), store, self._name)
        return self._outcomes

    def _confusion(self) -> ConfusionCounts:
        if self._counts is None:
            outcomes = self._outcome_columns()
            assert outcomes.label is not None  # accuracy needs a label
            # Counted with the label as the only "feature": its overall total is the
            # dataset's confusion counts, from the fairness check's one-pass counting.
            by_label = (outcomes.label.column,)
            counts = group_confusion_counts(
                self._context.data, self._name, by_label, (by_label,), outcomes, ()
            )
            self._counts = counts.overall
        return self._counts

    def _auc(self) -> Measurement:
        store, name = self._context.data, self._name
        dataset = store.spec(name)
        label = self._outcome_columns().label
        assert label is not None
        if dataset.score is None:
            raise InputError(
                f"the model card claims roc_auc but dataset '{name}' declares no score column",
                hint="add 'score:' to the dataset in the manifest",
            )
        types = store.column_types(name)
        if dataset.score not in types or not is_numeric(types[dataset.score]):
            raise InputError(
                f"score column '{dataset.score}' of dataset '{name}' is missing or not numeric"
            )
        score = TypedColumn(dataset.score, types[dataset.score])
        counts = store.rank_counts(
            name, TypedColumn(label.column, label.data_type), label.positive, score
        )
        auc = counts.auc
        if auc is None:
            return Measurement(None, counts.positives + counts.negatives)
        low, high = _hanley_mcneil(auc, counts.positives, counts.negatives, self._spec.confidence)
        return Measurement(auc, counts.positives + counts.negatives, low, high, "Hanley-McNeil")


def _hanley_mcneil(
    auc: float, positives: int, negatives: int, confidence: float
) -> tuple[float, float]:
    from scipy.stats import norm

    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    variance = (
        auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)
    ) / (positives * negatives)
    half = float(norm.ppf(1 - (1 - confidence) / 2)) * math.sqrt(max(variance, 0.0))
    return max(0.0, auc - half), min(1.0, auc + half)


def _row(spec: ClaimsSpec, claim: Claim, measured: Measurement) -> ClaimRow:
    # Judged on the decimals the card, the policy and audit.json write: a difference of floats
    # can exceed a tolerance the decimals meet (0.9 - 0.85 is 0.05000000000000004).
    failing = measured.value is None or written_decimal(claim.value) - written_decimal(
        measured.value
    ) > written_decimal(spec.tolerance)
    return ClaimRow(
        model=claim.model,
        card_dataset=claim.dataset,
        split=claim.split,
        metric=claim.metric.value,
        claimed=claim.value,
        measured=measured.value,
        ci_low=measured.low,
        ci_high=measured.high,
        interval=measured.interval,
        trials=measured.trials,
        failing=failing,
        note="cannot be measured: its denominator is zero" if measured.value is None else None,
    )


def _message(row: ClaimRow, tolerance: float, name: str) -> str:
    on = f" on '{row.card_dataset}'" if row.card_dataset else ""
    if row.measured is None:
        return (
            f"model card claims {row.metric} {row.claimed:g}{on}; it cannot be measured on "
            f"dataset '{name}' (zero denominator)"
        )
    interval = ""
    if row.ci_low is not None and row.ci_high is not None:
        interval = f" ({row.interval} interval [{row.ci_low:.3f}, {row.ci_high:.3f}])"
    return (
        f"model card claims {row.metric} {row.claimed:g}{on}, but dataset '{name}' measures "
        f"{row.measured:.3f}{interval}: better by more than the tolerance {tolerance:g}"
    )
