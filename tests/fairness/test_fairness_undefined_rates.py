"""A gating disparity rule (`compare: difference` or `ratio`) over a group whose rate is
undefined (TPR with no actual positives) cannot be judged: it fails saying so, as a
per-group comparison does, instead of leaving the group out and passing on the others."""

from __future__ import annotations

import pandas as pd
import pytest
from fairlearn.metrics import equalized_odds_difference

from tests.fairness.conftest import evidence_of, run_fairness


def _no_positives_in_c() -> pd.DataFrame:
    rows: list[tuple[str, int, int]] = []
    for group in "AB":
        rows += [(group, 1, 1)] * 20 + [(group, 1, 0)] * 20 + [(group, 0, 1)] * 8
        rows += [(group, 0, 0)] * 32
    rows += [("C", 0, 1)] * 8 + [("C", 0, 0)] * 32  # no actual positive: TPR undefined
    return pd.DataFrame(rows, columns=["race", "y", "p"])


@pytest.mark.parametrize(
    ("metric", "compare", "bound"),
    [
        ("equalized_odds", "difference", {"max": 0.1}),
        ("equal_opportunity", "ratio", {"min": 0.8}),
        ("true_positive_rate", "difference", {"max": 0.1}),
    ],
)
def test_a_gating_disparity_with_an_undefined_group_rate_cannot_be_judged(metric, compare, bound):
    frame = _no_positives_in_c()
    report = run_fairness(
        frame, metric=metric, compare=compare, sensitive_features=["race"], **bound
    )
    (disparity,) = evidence_of(report).feature_sets[0].disparities
    assert disparity.value is None and disparity.failing
    (finding,) = report.findings
    assert finding.message.endswith(
        "cannot be computed: race=C has no true positive rate (no actual positives)"
    )
    # fairlearn reads C's TPR as 0.0 and fails it: passing would agree with neither
    assert equalized_odds_difference(frame.y, frame.p, sensitive_features=frame.race) == 0.5


def test_a_disparity_that_only_reports_still_leaves_the_group_out():
    report = run_fairness(
        _no_positives_in_c(),
        metric="equalized_odds",
        compare="difference",
        sensitive_features=["race"],
    )
    (disparity,) = evidence_of(report).feature_sets[0].disparities
    assert disparity.value == 0.0 and not disparity.failing
