"""Column names are the user's data too: whatever characters they hold, they are only ever
identifiers in the SQL the fairness check runs, never SQL text or a placeholder."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.fairness.conftest import evidence_of, run_fairness

HOSTILE = ["{dataset}", 'a"b', "x; DROP TABLE y", "f0", "{dataset} AS y --"]


def _frame(feature: str, label: str, prediction: str, score: str) -> pd.DataFrame:
    rows = 120
    return pd.DataFrame(
        {
            feature: ["F", "M", "X"] * (rows // 3),
            label: [1, 0, 0, 1] * (rows // 4),
            prediction: [1, 1, 0, 0, 0, 1] * (rows // 6),
            score: [i / rows for i in range(rows)],
        }
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_in_every_role_give_the_same_numbers_as_plain_names(name):
    plain = run_fairness(
        _frame("g", "y", "p", "s"),
        {"score": "s"},
        sensitive_features=["g"],
        metrics=["selection_rate", "true_positive_rate", "scoring_rate"],
    )
    roles = {"feature": f"{name} g", "label": f"{name} y", "prediction": name, "score": f"s{name}"}
    hostile = run_fairness(
        _frame(roles["feature"], roles["label"], roles["prediction"], roles["score"]),
        {"label": roles["label"], "prediction": roles["prediction"], "score": roles["score"]},
        sensitive_features=[roles["feature"]],
        metrics=["selection_rate", "true_positive_rate", "scoring_rate"],
    )

    def rates(report):
        return [
            [(g.group.split("=", 1)[1], g.successes, g.trials) for g in rate.groups]
            for rate in evidence_of(report).feature_sets[0].rates
        ]

    assert rates(hostile) == rates(plain)
    assert evidence_of(hostile).median_score == evidence_of(plain).median_score


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_sensitive_feature_with_a_score_threshold(name):
    frame = _frame(name, "y", "p", "s")
    report = run_fairness(
        frame,
        {"prediction": None, "score": "s", "threshold": 0.5},
        sensitive_features=[name],
        metric="selection_rate",
    )
    groups = evidence_of(report).feature_sets[0].rates[0].groups
    assert [(g.group, g.successes, g.trials) for g in groups[:3]] == [
        (f"{name}=F", 20, 40),
        (f"{name}=M", 20, 40),
        (f"{name}=X", 20, 40),
    ]
