"""Numbers that would be silently wrong: NaN, ±infinity and empty outcomes are missing outcomes
(counted, and stopping the check or left out of every rate, as `missing_outcomes` says), the
scoring rate's median is over finite scores only, non-finite thresholds are refused, and nested
columns are refused in every role."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.spec import FairnessSpec
from governance.data.column_types import nested_kind
from governance.data.store import DatasetStore
from governance.errors import InputError
from governance.manifest import DatasetSpec
from tests.fairness.conftest import evidence_of, run_fairness

NON_FINITE = [np.nan, np.inf, -np.inf]
SCORING = {"metric": "scoring_rate", "sensitive_features": ["race"]}
SCORE_ONLY = {"score": "score", "prediction": None}


def _scored_frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "race": rng.choice(["A", "B", "C"], 300),
            "score": rng.integers(0, 40, 300) / 8,
        }
    )
    # Infinite scores would all count as "above the median", and drag the median up.
    frame.loc[[1, 2, 3, 4, 5, 6], "score"] = [np.inf, np.inf, np.inf, np.nan, -np.inf, np.nan]
    return frame


def _error(frame: pd.DataFrame, dataset: dict[str, Any] | None = None, **rule: Any) -> str:
    with pytest.raises(InputError) as raised:
        run_fairness(frame, dataset, **rule)
    return raised.value.diagnostics()


def test_non_finite_scores_stop_a_scoring_rate_by_default():
    message = _error(_scored_frame(), SCORE_ONLY, **SCORING)
    assert "6 of 300 rows of dataset 'data' have no value in 'score'" in message
    assert "NaN or infinite" in message
    assert "missing_outcomes: exclude" in message


def test_excluded_non_finite_scores_are_counted_and_out_of_the_median():
    frame = _scored_frame()
    evidence = evidence_of(run_fairness(frame, SCORE_ONLY, missing_outcomes="exclude", **SCORING))
    finite = frame[np.isfinite(frame["score"])]
    median = float(np.median(finite["score"]))
    assert evidence.outcome_missing == 6
    assert evidence.median_score == median
    rates = evidence.feature_sets[0].rates[0]
    assert rates.overall_trials == len(finite)
    assert rates.overall == (finite["score"] > median).sum() / len(finite)
    groups = {g.group: g for g in rates.groups}
    for race, part in frame.groupby("race"):
        kept = part[np.isfinite(part["score"])]
        group = groups[f"race={race}"]
        assert (group.rows, group.outcome_missing) == (len(part), len(part) - len(kept))
        assert group.rate == (kept["score"] > median).sum() / len(kept)
    assert (
        "6 rows without a finite score are left out of every rate and of the median score"
        in evidence.warnings
    )
    assert f"above the median {median:.4g} of 294 finite scores" in evidence.tables()[0].title


def test_empty_scores_in_a_csv_are_missing_outcomes(tmp_path: Path):
    path = tmp_path / "scores.csv"
    path.write_text("race,score\n" + "A,0.5\nB,\nA,0.25\nB,0.75\n" * 10, encoding="utf-8")
    spec = FairnessSpec.model_validate({"dataset": "data", **SCORING})
    store = DatasetStore({"data": DatasetSpec.model_validate({"path": path, **SCORE_ONLY})})
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    with pytest.raises(InputError) as raised:
        FairnessCheck().run(spec, context)
    store.close()
    assert "10 of 40 rows of dataset 'data' have no value in 'score'" in raised.value.message


@pytest.mark.parametrize("value", NON_FINITE)
def test_a_non_finite_score_under_a_threshold_is_no_selection(value):
    frame = pd.DataFrame({"race": ["A", "B"] * 20, "score": np.linspace(0, 1, 40)})
    frame.loc[[0, 1], "score"] = value
    dataset = {**SCORE_ONLY, "threshold": 0.5}
    rule = {"metric": "selection_rate", "sensitive_features": ["race"]}
    assert "2 of 40 rows" in _error(frame, dataset, **rule)
    evidence = evidence_of(run_fairness(frame, dataset, missing_outcomes="exclude", **rule))
    assert evidence.outcome_missing == 2
    assert evidence.feature_sets[0].rates[0].overall_trials == 38


@pytest.mark.parametrize("column", ["y", "p"])
@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_an_infinite_label_or_prediction_is_missing_not_a_third_value(column, value):
    frame = pd.DataFrame(
        {"sex": ["F", "M"] * 20, "y": [1.0, 0.0, 0.0, 1.0] * 10, "p": [1.0, 1.0, 0.0, 0.0] * 10}
    )
    frame.loc[[3, 7], column] = value
    message = _error(frame, metric="accuracy", sensitive_features=["sex"])
    assert "2 of 40 rows of dataset 'data' have no value in 'y' or 'p'" in message
    evidence = evidence_of(
        run_fairness(
            frame, metric="accuracy", sensitive_features=["sex"], missing_outcomes="exclude"
        )
    )
    assert evidence.outcome_missing == 2


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_a_blank_text_label_is_missing_not_a_negative(blank):
    frame = pd.DataFrame(
        {"sex": ["F", "M"] * 20, "y": ["hired", "rejected"] * 20, "p": ["hired"] * 40}
    )
    frame.loc[[0, 2], "y"] = blank  # two F rows, hired before
    rule = {"metric": "true_positive_rate", "sensitive_features": ["sex"]}
    rule |= {"positive_label": "hired", "missing_outcomes": "exclude"}
    evidence = evidence_of(run_fairness(frame, **rule))
    female = evidence.feature_sets[0].rates[0].groups[0]
    assert (female.group, female.outcome_missing, female.trials) == ("sex=F", 2, 18)


def test_a_nan_threshold_from_code_is_refused_not_a_pass():
    frame = pd.DataFrame({"race": ["A", "B"] * 40, "score": np.linspace(0, 1, 80)})
    store = DatasetStore(
        {"data": DatasetSpec.model_validate({**SCORE_ONLY, "threshold": 0.5})}, {"data": frame}
    )
    spec = FairnessSpec.model_validate(
        {"dataset": "data", "metric": "selection_rate", "sensitive_features": ["race"]}
    )
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    for update in ({"threshold": math.nan}, {"min": math.nan}, {"max": math.inf}):
        with pytest.raises(InputError) as raised:
            FairnessCheck().run(spec.model_copy(update=update), context)
        assert "not a finite number" in raised.value.message, update
    store.close()


_NESTED = {
    "STRUCT": pa.array([{"code": "A"}, {"code": "B"}] * 20),
    "LIST": pa.array([["A"], ["B"]] * 20),
    "MAP": pa.array([[("k", 1)], [("k", 0)]] * 20, type=pa.map_(pa.string(), pa.int64())),
}


@pytest.mark.parametrize("kind", list(_NESTED))
@pytest.mark.parametrize(
    ("role", "dataset", "rule"),
    [
        ("a sensitive feature", {}, {"sensitive_features": ["nested"]}),
        ("its label", {"label": "nested"}, {"metric": "true_positive_rate"}),
        ("its prediction", {"prediction": "nested"}, {}),
        ("its score", {"score": "nested", "prediction": None}, {"metric": "scoring_rate"}),
    ],
)
def test_a_nested_column_is_refused_in_every_role(kind, role, dataset, rule):
    table = pa.table(
        {
            "sex": ["F", "M"] * 20,
            "y": [1, 0] * 20,
            "p": [1, 1, 0, 0] * 10,
            "nested": _NESTED[kind],
        }
    )
    rule = {"metric": "selection_rate", "sensitive_features": ["sex"], **rule}
    message = _error(table, dataset, **rule)  # type: ignore[arg-type]
    assert f"column 'nested' of dataset 'data' ({role}) is a nested {kind} column" in message
    assert "code" not in message and "'A'" not in message  # no value, no field of one


def test_a_nested_column_from_jsonl_is_refused(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    rows = [{"group": {"sex": "F"}, "y": 1, "p": i % 2} for i in range(30)]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    spec = FairnessSpec.model_validate(
        {"dataset": "data", "metric": "selection_rate", "sensitive_features": ["group"]}
    )
    store = DatasetStore(
        {"data": DatasetSpec.model_validate({"path": path, "label": "y", "prediction": "p"})}
    )
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    with pytest.raises(InputError) as raised:
        FairnessCheck().run(spec, context)
    store.close()
    assert "is a nested STRUCT column" in raised.value.message


@pytest.mark.parametrize(
    ("data_type", "kind"),
    [
        ("STRUCT(code VARCHAR)", "STRUCT"),
        ("STRUCT(a INTEGER[])", "STRUCT"),
        ("VARCHAR[]", "LIST"),
        ("INTEGER[3]", "ARRAY"),
        ("MAP(VARCHAR, INTEGER)", "MAP"),
        ("UNION(k INTEGER, v VARCHAR)", "UNION"),
        ("VARCHAR", None),
        ("DECIMAL(18,3)", None),
        ("TIMESTAMP WITH TIME ZONE", None),
    ],
)
def test_nested_types_are_told_from_duckdb_type_names(data_type, kind):
    assert nested_kind(data_type) == kind
