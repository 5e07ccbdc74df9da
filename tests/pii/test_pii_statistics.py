"""The statistics a report states must be the textbook ones."""

from __future__ import annotations

import pytest
from scipy.stats import binom

from governance.checks.pii.statistics import exceeds_tolerance, upper_bound


def test_no_hits_in_1000_gives_the_0_3_percent_bound() -> None:
    bound = upper_bound(0, 1000)
    assert bound == pytest.approx(0.0029912, abs=1e-6)
    assert bound == pytest.approx(3 / 1000, rel=0.01)  # the rule of three


@pytest.mark.parametrize(("hits", "scanned"), [(0, 20), (1, 50), (5, 1000), (37, 400)])
def test_upper_bound_is_the_clopper_pearson_bound(hits: int, scanned: int) -> None:
    """At the bound, seeing `hits` or fewer has probability exactly 5%."""
    bound = upper_bound(hits, scanned)
    assert binom.cdf(hits, scanned, bound) == pytest.approx(0.05, abs=1e-9)
    assert bound > hits / scanned


def test_bound_edges() -> None:
    assert upper_bound(10, 10) == 1.0
    assert upper_bound(0, 0) == 1.0


def test_any_hit_breaks_a_zero_tolerance_and_no_hit_never_fails() -> None:
    assert exceeds_tolerance(1, 1000, complete=False, tolerance=0.0)
    assert not exceeds_tolerance(0, 3, complete=False, tolerance=0.0)
    assert not exceeds_tolerance(0, 3, complete=False, tolerance=0.01)


def test_a_sample_is_judged_by_its_upper_bound_a_full_scan_by_its_rate() -> None:
    # 5 in 1,000 is 0.5% observed, but the true rate may be up to 1.05%: not shown <= 1%.
    assert exceeds_tolerance(5, 1000, complete=False, tolerance=0.01)
    assert not exceeds_tolerance(5, 1000, complete=True, tolerance=0.01)
    assert not exceeds_tolerance(1, 1000, complete=False, tolerance=0.01)


def test_the_bound_is_bit_for_bit_scipy_stats_beta_ppf() -> None:
    """`upper_bound` skips importing scipy.stats (slow) but must give exactly its quantile, so
    reports do not change by a digit."""
    from scipy.stats import beta

    cases = [(k, n) for n in (2, 3, 17, 250, 1000, 4096) for k in range(1, n, max(1, n // 97))]
    cases += [(1, 204_850), (5_000, 204_850), (12, 1_000_000)]
    for hits, scanned in cases:
        assert upper_bound(hits, scanned) == float(beta.ppf(0.95, hits + 1, scanned - hits))
