"""What a scan of n values with k hits says about the whole column, honestly.

When every distinct value was scanned the hit rate is exact. When a sample was scanned, the
one-sided 95% Clopper–Pearson upper bound is the largest true rate still consistent with the
sample: no hits in 1,000 values gives 0.30% ("fewer than 0.3% of values contain one, at 95%
confidence"; the rule of three, 3/n, approximates it). Rates are over distinct values: the
scanner deduplicates before it samples.
"""

from __future__ import annotations

CONFIDENCE = 0.95


def upper_bound(hits: int, scanned: int, confidence: float = CONFIDENCE) -> float:
    """One-sided Clopper–Pearson upper confidence bound on the true rate."""
    if scanned <= 0:
        return 1.0
    if hits >= scanned:
        return 1.0
    if hits == 0:
        return float(1.0 - (1.0 - confidence) ** (1.0 / scanned))
    # The bound is the `confidence` quantile of Beta(hits + 1, scanned - hits). scipy.special's
    # inverse incomplete beta is the function `scipy.stats.beta.ppf` calls (the same Boost
    # routine, equal to the last bit: a test checks it), without importing scipy.stats, which
    # costs ~0.6 s and was most of a default scan's fixed cost.
    from scipy.special import betaincinv

    return float(betaincinv(hits + 1, scanned - hits, confidence))


def load_bound_function() -> None:
    """Import what `upper_bound` needs for a sample with hits (scipy.special, ~0.15 s) now:
    the check calls it while its workers are still scanning, when the parent is otherwise
    waiting, instead of paying for it after the scan."""
    import scipy.special  # noqa: F401


def exceeds_tolerance(
    hits: int, scanned: int, complete: bool, tolerance: float, share: float = 1.0
) -> bool:
    """Whether a column breaks a rule that tolerates `tolerance` (a fraction of values).

    Any hit breaks a zero tolerance. Otherwise an exhaustive scan compares the exact rate, and a
    sample compares its 95% upper bound, so a column passes only when the data shows, with 95%
    confidence, that the true rate is within the tolerance. A sample with no hits never fails
    (nothing was found); its bound is reported so a reader sees how little a small sample says.
    A sample drawn from a `share` of the column's values (the candidates of a pattern, outside
    of which the entity cannot be) bounds the rate in that share: `scaled_bound`.
    """
    if hits == 0:
        return False
    if tolerance <= 0:
        return True
    rate = hits / scanned if complete else scaled_bound(hits, scanned, share)
    return rate > tolerance


def scaled_bound(hits: int, scanned: int, share: float) -> float:
    """The bound on the rate over the whole column when `scanned` values were sampled from a
    `share` of its distinct values and the rest cannot hold the entity: the rate among the
    share, at most `upper_bound`, times the share."""
    return min(1.0, upper_bound(hits, scanned) * share)
