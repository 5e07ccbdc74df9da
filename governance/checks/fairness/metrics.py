"""Per-group rates from confusion counts. A rate whose denominator is zero is undefined, with
the reason, where fairlearn reports 0.0 (TPR, FPR, FNR, TNR, precision) or NaN (see the
package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from governance.checks.fairness.counts import ConfusionCounts
from governance.checks.fairness.spec import Metric


@dataclass(frozen=True)
class Rate:
    successes: int
    trials: int
    undefined_reason: str | None = None

    @property
    def value(self) -> float | None:
        """successes / trials, as fairlearn computes it (one correctly rounded division)."""
        return None if self.trials == 0 else self.successes / self.trials

    @property
    def exact(self) -> Fraction | None:
        """successes / trials as a fraction: what thresholds are judged on, since a ratio or
        difference of two rounded rates can land on the wrong side of a bound it meets
        exactly (2/3 over 5/6 is 0.7999999999999999 in floating point)."""
        return None if self.trials == 0 else Fraction(self.successes, self.trials)


_UNDEFINED = {
    Metric.SELECTION_RATE: "no row with a known selection",
    Metric.SCORING_RATE: "no row with a score",
    Metric.TRUE_POSITIVE_RATE: "no actual positives",
    Metric.FALSE_NEGATIVE_RATE: "no actual positives",
    Metric.FALSE_POSITIVE_RATE: "no actual negatives",
    Metric.TRUE_NEGATIVE_RATE: "no actual negatives",
    Metric.PRECISION: "no predicted positives",
    Metric.ACCURACY: "no row with a known label and selection",
}

DENOMINATORS = {
    Metric.SELECTION_RATE: "rows with a selection",
    Metric.SCORING_RATE: "rows with a score",
    Metric.TRUE_POSITIVE_RATE: "actual positives",
    Metric.FALSE_NEGATIVE_RATE: "actual positives",
    Metric.FALSE_POSITIVE_RATE: "actual negatives",
    Metric.TRUE_NEGATIVE_RATE: "actual negatives",
    Metric.PRECISION: "predicted positives",
    Metric.ACCURACY: "rows with a label and selection",
}
"""What each rate is taken over (its `trials`): the count a group's minimum size applies to."""

ROW_DENOMINATORS = frozenset({Metric.SELECTION_RATE, Metric.SCORING_RATE, Metric.ACCURACY})
"""Rates over a group's rows (less any row missing an outcome), not over a subset of them."""

LABELS = {
    Metric.SELECTION_RATE: "selection rate",
    Metric.SCORING_RATE: "scoring rate",
    Metric.TRUE_POSITIVE_RATE: "true positive rate",
    Metric.FALSE_POSITIVE_RATE: "false positive rate",
    Metric.FALSE_NEGATIVE_RATE: "false negative rate",
    Metric.TRUE_NEGATIVE_RATE: "true negative rate",
    Metric.PRECISION: "precision",
    Metric.ACCURACY: "accuracy",
    Metric.DEMOGRAPHIC_PARITY: "demographic parity",
    Metric.EQUAL_OPPORTUNITY: "equal opportunity",
    Metric.EQUALIZED_ODDS: "equalized odds",
}


def rate(metric: Metric, counts: ConfusionCounts) -> Rate:
    """`metric` for a group with these counts."""
    c = counts
    successes, trials = {
        Metric.SELECTION_RATE: (c.selected, c.with_selection),
        Metric.SCORING_RATE: (c.scoring_above, c.scored),
        Metric.TRUE_POSITIVE_RATE: (c.tp, c.tp + c.fn),
        Metric.FALSE_NEGATIVE_RATE: (c.fn, c.tp + c.fn),
        Metric.FALSE_POSITIVE_RATE: (c.fp, c.fp + c.tn),
        Metric.TRUE_NEGATIVE_RATE: (c.tn, c.fp + c.tn),
        Metric.PRECISION: (c.tp, c.tp + c.fp),
        Metric.ACCURACY: (c.tp + c.tn, c.tp + c.fp + c.fn + c.tn),
    }[metric]
    return Rate(successes, trials, _UNDEFINED[metric] if trials == 0 else None)
