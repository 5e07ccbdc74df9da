"""A performance floor that could judge no group does not pass: every group too small, or
every sensitive value unknown, leaves nothing measured against the bound."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.model.model_check import evidence_of, run_model


def _all_wrong(sexes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"sex": sexes, "y": 1, "p": 0})


@pytest.mark.parametrize(
    "sexes",
    [["F"] * 10 + ["M"] * 10, ["Unknown"] * 40],
    ids=["every group under min_group_size", "every value unknown"],
)
def test_a_floor_that_judged_no_group_fails_saying_so(sexes):
    report = run_model(
        _all_wrong(sexes),
        {"performance_floor": {"metric": "accuracy", "min": 0.8}},
        dataset={"sensitive_features": ["sex"]},
    )
    assert [row.failing for row in evidence_of(report).floors] == [False] * len(
        evidence_of(report).floors
    )
    (finding,) = report.findings
    assert finding.message == (
        "accuracy by sex cannot be judged: no group has 30 rows with known outcomes "
        "(min_group_size) and a known sensitive value"
    )


def test_one_judged_group_is_enough_for_an_absolute_floor():
    frame = pd.DataFrame({"sex": ["F"] * 30 + ["M"] * 5, "y": 1, "p": 1})
    report = run_model(
        frame,
        {"performance_floor": {"metric": "accuracy", "min": 0.8}},
        dataset={"sensitive_features": ["sex"]},
    )
    assert report.findings == ()
