"""Every rate and disparity agrees with fairlearn's MetricFrame and derived metric functions to
floating-point equality; where fairlearn's convention is misleading, we report undefined and
fairlearn's value is the documented 0.0 / NaN."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, precision_score

from governance.checks.fairness.evidence import GroupStatus, RateComparison
from governance.checks.fairness.groups import group_label
from tests.fairness.conftest import evidence_of, random_hiring_frame, run_fairness

FAIRLEARN_RATES = {
    "selection_rate": partial(selection_rate, pos_label=1),
    "true_positive_rate": partial(true_positive_rate, pos_label=1),
    "false_positive_rate": partial(false_positive_rate, pos_label=1),
    "false_negative_rate": partial(false_negative_rate, pos_label=1),
    "true_negative_rate": partial(true_negative_rate, pos_label=1),
    "precision": partial(precision_score, zero_division=0),
    "accuracy": accuracy_score,
}
FEATURE_SETS = [("sex",), ("race",), ("age",), ("sex", "race", "age")]


def _metric_frame(frame: pd.DataFrame, features: tuple[str, ...]) -> MetricFrame:
    return MetricFrame(
        metrics=FAIRLEARN_RATES,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame[list(features)],
    )


def _fairlearn_by_label(mf: MetricFrame, features: tuple[str, ...], metric: str) -> dict:
    values = {}
    for key, value in mf.by_group[metric].items():
        key = key if isinstance(key, tuple) else (key,)
        values[group_label(features, tuple(str(k) for k in key))] = value
    return values


def _ours(comparison: RateComparison) -> dict:
    return {
        g.group: g
        for g in comparison.groups
        if g.status in (GroupStatus.COMPARED, GroupStatus.EXCLUDED, GroupStatus.EMPTY)
    }


def _report(frame: pd.DataFrame, **rule):
    return evidence_of(
        run_fairness(
            frame,
            metrics=list(FAIRLEARN_RATES),
            compare="difference",
            sensitive_features=["sex", "race", "age"],
            intersectional=True,
            **rule,
        )
    )


def test_every_rate_and_summary_equals_metricframe_on_60_groups(hiring_frame):
    evidence = _report(hiring_frame)
    assert [s.features for s in evidence.feature_sets] == FEATURE_SETS
    for feature_set in evidence.feature_sets:
        mf = _metric_frame(hiring_frame, feature_set.features)
        for comparison in feature_set.rates:
            metric = comparison.metric.value
            theirs = _fairlearn_by_label(mf, feature_set.features, metric)
            ours = _ours(comparison)
            assert set(ours) == set(theirs)
            for label, value in theirs.items():
                assert ours[label].rate == value, (label, metric)
            assert comparison.overall == mf.overall[metric]
            assert comparison.difference == mf.difference()[metric]
            assert comparison.ratio == mf.ratio()[metric]
            assert comparison.difference_to_overall == mf.difference(method="to_overall")[metric]
            assert comparison.ratio_to_overall == mf.ratio(method="to_overall")[metric]
    assert len(evidence.feature_sets[-1].rates[0].groups) == 60  # no unknown row: none is unknown


@pytest.mark.parametrize(
    ("seed", "features"), [(1, ["sex", "race", "age"]), (2, ["sex", "race"]), (3, ["race"])]
)
def test_derived_disparities_equal_fairlearn_functions(seed, features):
    frame = random_hiring_frame(5_000, seed)
    sensitive = frame[features]
    args = (frame["y"], frame["p"])
    dp_difference = demographic_parity_difference(*args, sensitive_features=sensitive)
    expected = {
        ("difference", "worst_case"): {
            "demographic_parity": dp_difference,
            "equal_opportunity": equal_opportunity_difference(*args, sensitive_features=sensitive),
            "equalized_odds": equalized_odds_difference(*args, sensitive_features=sensitive),
        },
        ("ratio", "worst_case"): {
            "demographic_parity": demographic_parity_ratio(*args, sensitive_features=sensitive),
            "equal_opportunity": equal_opportunity_ratio(*args, sensitive_features=sensitive),
            "equalized_odds": equalized_odds_ratio(*args, sensitive_features=sensitive),
        },
        ("difference", "mean"): {
            "equalized_odds": equalized_odds_difference(
                *args, sensitive_features=sensitive, agg="mean"
            )
        },
        ("ratio", "mean"): {
            "equalized_odds": equalized_odds_ratio(*args, sensitive_features=sensitive, agg="mean")
        },
    }
    for (compare, aggregate), values in expected.items():
        evidence = evidence_of(
            run_fairness(
                frame,
                metrics=list(values),
                compare=compare,
                aggregate=aggregate,
                sensitive_features=features,
                per_feature=len(features) == 1,
                intersectional=True,
            )
        )
        disparities = {d.metric.value: d.value for d in evidence.feature_sets[0].disparities}
        assert disparities == values, (compare, aggregate)


def test_many_small_groups_agree_where_defined_and_fairlearn_says_zero_where_undefined():
    rng = np.random.default_rng(11)
    rows = 3_000
    frame = pd.DataFrame(
        {
            # 90 groups with a long tail of tiny ones (1-5 rows): undefined TPR/FPR/precision
            "team": [f"t{int(v)}" for v in np.minimum(rng.zipf(1.6, rows), 90)],
            "y": (rng.random(rows) < 0.3).astype(int),
            "p": (rng.random(rows) < 0.3).astype(int),
        }
    )
    evidence = evidence_of(
        run_fairness(
            frame,
            metrics=list(FAIRLEARN_RATES),
            compare="ratio_to_max",
            sensitive_features=["team"],
            max_groups=100,
        )
    )
    mf = MetricFrame(
        metrics=FAIRLEARN_RATES,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame["team"],
    )
    undefined = 0
    for comparison in evidence.feature_sets[0].rates:
        metric = comparison.metric.value
        theirs = _fairlearn_by_label(mf, ("team",), metric)
        ours = _ours(comparison)
        assert set(ours) == set(theirs)
        for label, value in theirs.items():
            if ours[label].rate is None:
                undefined += 1
                assert ours[label].undefined  # the reason
                assert value == 0.0, (label, metric)  # fairlearn's misleading convention
            else:
                assert ours[label].rate == value
    assert undefined > 10


def test_edge_cases_differ_from_fairlearn_only_as_documented():
    # Group "b" has no actual positives and nothing selected anywhere in group "c".
    frame = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 4 + ["c"] * 4,
            "y": [1, 1, 0, 0, 1, 0] + [0, 0, 0, 0] + [1, 0, 1, 0],
            "p": [1, 0, 1, 0, 1, 1] + [1, 0, 0, 0] + [0, 0, 0, 0],
        }
    )
    args = (frame["y"], frame["p"])
    evidence = evidence_of(
        run_fairness(frame, metrics=["equalized_odds"], compare="ratio", sensitive_features=["g"])
    )
    tpr = evidence.feature_sets[0].rates[0]
    by_group = {g.group: g for g in tpr.groups}
    assert by_group["g=b"].rate is None and by_group["g=b"].undefined == "no actual positives"
    mf = MetricFrame(
        metrics=true_positive_rate,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame["g"],
    )
    assert mf.by_group["b"] == 0.0
    # fairlearn's ratio is dragged to 0 by c's TPR of 0 and b's spurious 0; ours leaves b out
    # and reports c's genuine 0.
    assert equalized_odds_ratio(*args, sensitive_features=frame["g"]) == 0.0
    assert evidence.feature_sets[0].disparities[0].value == 0.0
    assert tpr.ratio == 0.0 / (2 / 3)

    # Nothing selected anywhere: fairlearn's demographic parity ratio is NaN; ours undefined.
    none_selected = frame.assign(p=0)
    assert math.isnan(
        demographic_parity_ratio(
            none_selected["y"], none_selected["p"], sensitive_features=none_selected["g"]
        )
    )
    disparity = (
        evidence_of(
            run_fairness(
                none_selected,
                metric="demographic_parity",
                compare="ratio",
                sensitive_features=["g"],
            )
        )
        .feature_sets[0]
        .disparities[0]
    )
    assert disparity.value is None
    assert "rate is 0" in (disparity.undefined or "")


def test_empty_intersection_is_listed_where_fairlearn_has_a_nan_row():
    frame = pd.DataFrame(
        {
            "a": ["x", "x", "y", "y", "x"] * 4,
            "b": ["u", "v", "u", "u", "u"] * 4,  # (y, v) never occurs
            "y": [1, 0, 1, 0, 1] * 4,
            "p": [1, 1, 0, 0, 1] * 4,
        }
    )
    mf = MetricFrame(
        metrics=selection_rate,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame[["a", "b"]],
    )
    assert math.isnan(mf.by_group[("y", "v")])
    feature_set = evidence_of(
        run_fairness(
            frame,
            metric="selection_rate",
            sensitive_features=["a", "b"],
            per_feature=False,
            intersectional=True,
        )
    ).feature_sets[0]
    assert feature_set.empty_groups == ("a=y & b=v",)
    rows = {g.group: g for g in feature_set.rates[0].groups}
    assert rows["a=y & b=v"].status is GroupStatus.EMPTY
    assert rows["a=y & b=v"].rows == 0
    for key, value in mf.by_group.dropna().items():
        assert rows[group_label(("a", "b"), key)].rate == value


def test_grouping_sets_and_rollup_from_the_intersection_count_the_same(hiring_frame):
    frame = hiring_frame.astype({"sex": object})
    frame.loc[::97, "sex"] = None  # unknowns take the same path both ways
    rule = {"metrics": list(FAIRLEARN_RATES), "sensitive_features": ["sex", "race", "age"]}
    separate = evidence_of(run_fairness(frame, **rule)).feature_sets
    rolled_up = evidence_of(run_fairness(frame, intersectional=True, **rule)).feature_sets
    assert separate == rolled_up[:3]
    assert separate[0].unknown_rows == len(frame.loc[::97])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from("abcd"), st.sampled_from("xy"), st.booleans(), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_any_small_frame_agrees_with_metricframe(rows):
    frame = pd.DataFrame(rows, columns=["g", "h", "y", "p"]).astype({"y": int, "p": int})
    evidence = _report_two(frame)
    mf = MetricFrame(
        metrics=FAIRLEARN_RATES,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame[["g", "h"]],
    )
    for comparison in evidence.feature_sets[0].rates:
        metric = comparison.metric.value
        ours = _ours(comparison)
        for label, value in _fairlearn_by_label(mf, ("g", "h"), metric).items():
            if math.isnan(value):  # an empty intersection
                assert ours[label].status is GroupStatus.EMPTY
            elif ours[label].rate is None:
                assert value == 0.0  # fairlearn's convention for a zero denominator
            else:
                assert ours[label].rate == value
        assert comparison.overall in (mf.overall[metric], None)


def _report_two(frame: pd.DataFrame):
    return evidence_of(
        run_fairness(
            frame,
            metrics=list(FAIRLEARN_RATES),
            sensitive_features=["g", "h"],
            per_feature=False,
            intersectional=True,
        )
    )


def test_non_finite_scores_agree_with_metricframe_on_the_rows_with_finite_outcomes(hiring_frame):
    """Selections from `score >= threshold` and LL144 scoring rates, with NaN and ±inf scores
    and NaN labels left out (`missing_outcomes: exclude`): every rate equals fairlearn's on the
    rows whose outcomes are all finite, the scoring rate being fairlearn's selection rate of
    `score > median` with the median of those rows' scores."""
    rng = np.random.default_rng(29)
    frame = hiring_frame.astype({"y": float}).copy()
    broken = rng.choice(len(frame), 900, replace=False)
    frame.loc[broken[:300], "score"] = np.nan
    frame.loc[broken[300:500], "score"] = np.inf
    frame.loc[broken[500:600], "score"] = -np.inf
    frame.loc[broken[600:], "y"] = np.nan
    threshold = 0.45
    evidence = evidence_of(
        run_fairness(
            frame,
            {"prediction": None, "score": "score", "threshold": threshold},
            metrics=[*FAIRLEARN_RATES, "scoring_rate"],
            compare="difference",
            sensitive_features=["sex", "race", "age"],
            intersectional=True,
            missing_outcomes="exclude",
        )
    )
    kept = frame[np.isfinite(frame["score"]) & frame["y"].notna()]
    assert evidence.outcome_missing == len(frame) - len(kept) == 900
    median = float(np.median(kept["score"]))
    assert evidence.median_score == median
    kept = kept.assign(
        y=kept["y"].astype(int),
        p=(kept["score"] >= threshold).astype(int),
        above=(kept["score"] > median).astype(int),
    )
    for feature_set in evidence.feature_sets:
        mf = _metric_frame(kept, feature_set.features)
        scoring = MetricFrame(
            metrics={"scoring_rate": FAIRLEARN_RATES["selection_rate"]},
            y_true=kept["y"],
            y_pred=kept["above"],
            sensitive_features=kept[list(feature_set.features)],
        )
        for comparison in feature_set.rates:
            metric = comparison.metric.value
            if metric == "scoring_rate":
                theirs = {
                    group_label(feature_set.features, k if isinstance(k, tuple) else (k,)): v
                    for k, v in scoring.by_group["scoring_rate"].items()
                }
                overall = scoring.overall["scoring_rate"]
            else:
                theirs = _fairlearn_by_label(mf, feature_set.features, metric)
                overall = mf.overall[metric]
            ours = _ours(comparison)
            for label, value in theirs.items():
                if math.isnan(value):
                    assert ours[label].status is GroupStatus.EMPTY
                elif ours[label].rate is not None:
                    assert ours[label].rate == value, (label, metric)
            assert comparison.overall == overall, metric
