"""A value exactly on a rule's bound meets it: `min: 0.8` is "at least 0.8" and `max: 0.1` is
"at most 0.1", judged on the ratio or difference of the counts themselves, not on a
floating-point quotient of two rounded rates (2/3 over 5/6 is 0.7999999999999999 in floats,
0.4 - 0.3 is 0.10000000000000003)."""

from __future__ import annotations

import pandas as pd
import pytest

from governance.render.cells import cell_text
from tests.fairness.conftest import evidence_of, run_fairness


def _selected(counts: dict[str, tuple[int, int]], labels: dict[str, int] | None = None):
    """A frame with, per race, (selected, rows); every row's label is `labels[race]` (0)."""
    parts = [
        pd.DataFrame(
            {
                "race": race,
                "p": [1] * selected + [0] * (rows - selected),
                "y": (labels or {}).get(race, 0),
            }
        )
        for race, (selected, rows) in counts.items()
    ]
    return pd.concat(parts, ignore_index=True)


# 20 of 30 against 25 of 30: an impact ratio of exactly 4/5.
ON_FOUR_FIFTHS = {"A": (25, 30), "B": (20, 30)}


def test_an_impact_ratio_of_exactly_four_fifths_meets_min_0_8():
    report = run_fairness(
        _selected(ON_FOUR_FIFTHS), metric="selection_rate", sensitive_features=["race"], min=0.8
    )
    groups = {g.group: g for g in evidence_of(report).feature_sets[0].rates[0].groups}
    assert groups["race=B"].impact_ratio == pytest.approx(0.8)
    assert not groups["race=B"].failing
    assert report.findings == ()


def test_a_between_group_ratio_of_exactly_four_fifths_meets_min_0_8():
    report = run_fairness(
        _selected(ON_FOUR_FIFTHS),
        metric="demographic_parity",
        compare="ratio",
        sensitive_features=["race"],
        min=0.8,
    )
    (disparity,) = evidence_of(report).feature_sets[0].disparities
    assert disparity.value == pytest.approx(0.8) and not disparity.failing
    assert report.findings == ()


@pytest.mark.parametrize(
    "rule",
    [
        {"metric": "demographic_parity", "compare": "difference"},
        {
            "metric": "selection_rate",
            "compare": "to_reference",
            "reference": "A",
            "measure": "difference",
            "min": -0.1,
        },
        {"metric": "equalized_odds", "compare": "difference", "aggregate": "mean"},
    ],
)
def test_a_difference_of_exactly_0_1_meets_max_0_1(rule):
    # 4 of 10 against 3 of 10 (among actual negatives too, so FPRs differ by 0.1 as well)
    frame = pd.concat(
        [
            _selected({"A": (4, 10), "B": (3, 10)}, labels={"A": 0, "B": 0}),
            _selected({"A": (4, 10), "B": (3, 10)}, labels={"A": 1, "B": 1}),
        ],
        ignore_index=True,
    )
    bounds = {"max": 0.1} if "min" not in rule else {}
    report = run_fairness(frame, sensitive_features=["race"], min_group_size=1, **bounds, **rule)
    assert report.findings == ()


def test_a_ratio_just_under_the_bound_still_fails():
    report = run_fairness(
        _selected({"A": (2500, 3000), "B": (1999, 3000)}),
        metric="selection_rate",
        sensitive_features=["race"],
        min=0.8,
    )
    (finding,) = report.findings
    assert finding.scope.group == "race=B"


def test_a_failing_value_is_shown_with_the_digits_that_put_it_past_the_bound():
    # 19999 of 25000 against all selected: an impact ratio of 0.79996, "0.800" to 3 decimals
    report = run_fairness(
        _selected({"A": (100, 100), "B": (19_999, 25_000)}),
        metric="selection_rate",
        sensitive_features=["race"],
        min=0.8,
    )
    (finding,) = report.findings
    assert "impact ratio 0.79996 is below the minimum 0.8" in finding.message
    between = run_fairness(
        _selected({"A": (100, 100), "B": (19_999, 25_000)}),
        metric="demographic_parity",
        compare="ratio",
        sensitive_features=["race"],
        min=0.8,
    )
    (finding,) = between.findings
    assert "ratio by race is 0.79996, below the minimum 0.8" in finding.message


def test_a_share_just_under_the_minimum_reads_under_it():
    # 1,999 of 100,000 rows: 1.999%, which two decimals show as the minimum itself, 2.00%
    report = run_fairness(
        _selected({"A": (50_000, 98_001), "B": (1_000, 1_999)}),
        metric="selection_rate",
        sensitive_features=["race"],
        min_share=0.02,
    )
    groups = {g.group: g for g in evidence_of(report).feature_sets[0].rates[0].groups}
    assert groups["race=B"].exclusion == ("1.999% of the rows, under the minimum share of 2.00%")


def test_the_evidence_table_shows_a_failing_ratio_past_its_bound():
    report = run_fairness(
        _selected({"A": (100, 100), "B": (19_999, 25_000)}),
        metric="selection_rate",
        sensitive_features=["race"],
        min=0.8,
    )
    (table,) = evidence_of(report).tables()
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert cell_text(rows["race=B"]["impact ratio"]) == "0.79996"  # not "0.8", beside "fails"
    assert rows["race=B"]["result"].startswith("fails")
    assert cell_text(rows["race=A"]["impact ratio"]) == "1"


def test_the_disparity_table_shows_a_failing_ratio_past_its_bound():
    report = run_fairness(
        _selected({"A": (100, 100), "B": (19_999, 25_000)}),
        metric="demographic_parity",
        compare="ratio",
        sensitive_features=["race"],
        min=0.8,
    )
    table = evidence_of(report).tables()[-1]
    (row,) = table.rows
    assert cell_text(row[table.columns.index("value")]) == "0.79996"


def test_a_failing_value_the_float_puts_on_the_bound_reads_as_breaking_it():
    # Judged exactly, a ratio a hair under 0.8 fails; its float can be 0.8 itself (or one unit
    # of rounding past it), and the finding must still name the bound it breaks.
    from governance.checks.fairness.findings import _bound
    from governance.checks.fairness.spec import FairnessSpec

    only_min = FairnessSpec.model_validate({"metric": "selection_rate", "min": 0.8})
    assert _bound(only_min, 0.8) == "below the minimum 0.8"
    assert _bound(only_min, 0.8000000000000002) == "below the minimum 0.8"
    both = FairnessSpec.model_validate({"metric": "selection_rate", "min": 0.8, "max": 1.25})
    assert _bound(both, 0.8000000000000002) == "below the minimum 0.8"
    assert _bound(both, 1.25) == "above the maximum 1.25"
