"""Statistics beside the ratios: Wilson score intervals for rates, and a two-sided test that
two groups' rates differ (29 CFR 1607.4(D) asks whether a disparity is significant).

The test is the pooled two-proportion z-test, or Fisher's exact test when an expected cell count
of the 2x2 table is under 5, where the normal approximation is unreliable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SMALL_SAMPLE = 30
"""A rate over fewer trials than this is flagged as a small sample."""
_MIN_EXPECTED = 5


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class TestResult:
    test: str
    """`z-test` or `fisher-exact`."""
    p_value: float


def wilson_interval(successes: int, trials: int, confidence: float) -> Interval | None:
    """The Wilson score interval for successes / trials; None when there are no trials."""
    if trials == 0:
        return None
    z = _standard_normal_quantile(1 - (1 - confidence) / 2)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    # At 0 and at every trial one end is exactly the rate: rounding must not leave the rate
    # outside its own interval (10 of 10 gave an upper end of 0.9999999999999999).
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return Interval(low, high)


def two_proportion_test(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int
) -> TestResult | None:
    """Whether the two rates differ, two-sided; None when either group has no trials."""
    if trials_a == 0 or trials_b == 0:
        return None
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    expected = min(
        trials * share for trials in (trials_a, trials_b) for share in (pooled, 1 - pooled)
    )
    if expected < _MIN_EXPECTED:
        table = [
            [successes_a, trials_a - successes_a],
            [successes_b, trials_b - successes_b],
        ]
        # Only small groups take this branch, and only they pay for importing scipy.stats.
        from scipy.stats import fisher_exact

        return TestResult("fisher-exact", float(fisher_exact(table).pvalue))
    spread = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    z = (successes_a / trials_a - successes_b / trials_b) / spread
    return TestResult("z-test", 2 * _standard_normal_survival(abs(z)))


# The standard normal distribution from scipy.special, the functions `scipy.stats.norm.ppf`
# and `.sf` evaluate (equal to the last bit: a test checks it), without importing
# scipy.stats (about 0.7 s).
def _standard_normal_quantile(probability: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(probability))


def _standard_normal_survival(x: float) -> float:
    from scipy.special import ndtr

    return float(ndtr(-x))


def small_sample(trials: int) -> bool:
    return trials < SMALL_SAMPLE
