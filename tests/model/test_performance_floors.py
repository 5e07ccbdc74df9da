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
        "accuracy by sex cannot be judged: no group has 30 rows with a label and selection "
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


def test_a_group_is_small_by_the_cases_its_rate_is_taken_over():
    # M has 100 rows but 2 actual positives: a true positive rate of 2/2 says little
    frame = pd.concat(
        [
            pd.DataFrame({"sex": "F", "y": [1] * 40 + [0] * 60, "p": [1] * 36 + [0] * 64}),
            pd.DataFrame({"sex": "M", "y": [1] * 2 + [0] * 98, "p": [1] * 2 + [0] * 98}),
        ],
        ignore_index=True,
    )
    report = run_model(
        frame,
        {"performance_floor": {"metric": "true_positive_rate", "min": 0.8}},
        dataset={"sensitive_features": ["sex"]},
    )
    rows = {row.group: row for row in evidence_of(report).floors}
    assert (rows["sex=F"].status, rows["sex=F"].trials) == ("compared", 40)
    assert (rows["sex=M"].status, rows["sex=M"].trials) == ("small", 2)
    assert rows["sex=M"].note == (
        "2 actual positives, under the minimum group size of 30: disclosed, not judged"
    )
    assert report.findings == ()


def test_a_rate_just_under_the_floor_reads_under_it():
    # 7,999 of 10,000 right: 0.7999, which three decimals show as the floor itself, 0.800
    frame = pd.DataFrame({"sex": "F", "y": 1, "p": [1] * 7_999 + [0] * 2_001})
    report = run_model(
        frame,
        {"performance_floor": {"metric": "accuracy", "min": 0.8}},
        dataset={"sensitive_features": ["sex"]},
    )
    (finding,) = report.findings
    assert "accuracy of group 'sex=F' is 0.7999 (7999/10000" in finding.message
