"""Each bad input of issue 4 gets one clear error naming the dataset and column, or a warning
and a finding; nothing is reported as passing that was not computed."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.spec import FairnessSpec
from governance.data.store import DatasetStore
from governance.errors import InputError
from governance.manifest import DatasetSpec
from tests.fairness.conftest import evidence_of, run_fairness

GATE = {"metric": "selection_rate", "compare": "ratio_to_max", "min": 0.8}


def _frame(rows: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["F", "M"] * (rows // 2),
            "y": [1, 0, 0, 1] * (rows // 4),
            "p": [1, 1, 0, 0] * (rows // 4),
            "score": np.linspace(0, 1, rows),
        }
    )


def _error(frame: pd.DataFrame, dataset: dict | None = None, **rule) -> str:
    with pytest.raises(InputError) as raised:
        run_fairness(frame, dataset, **{"sensitive_features": ["sex"], **GATE, **rule})
    return raised.value.diagnostics()


def test_label_that_is_not_binary():
    message = _error(_frame().assign(y=[0, 1, 2, 1] * 10), metric="true_positive_rate")
    assert "column 'y' of dataset 'data' is not binary" in message


def test_prediction_that_is_not_binary():
    message = _error(_frame().assign(p=np.arange(40)))
    assert "column 'p' of dataset 'data' is not binary" in message


def test_positive_label_that_does_not_occur():
    message = _error(_frame(), positive_label="yes")
    assert "positive label 'yes' does not occur in column 'p'" in message
    assert "(values: 0, 1)" in message


def test_positive_label_found_in_the_label_but_not_the_prediction():
    # the label says hired/rejected, the prediction 1/0: "hired" selects nobody, so every
    # TPR and FPR would be 0 and an equalized-odds bound would pass on nothing
    frame = _frame().assign(y=["hired", "rejected", "rejected", "hired"] * 10)
    message = _error(
        frame,
        positive_label="hired",
        metric="equalized_odds",
        compare="difference",
        min=None,
        max=0.1,
    )
    assert "positive label 'hired' does not occur in column 'p' of dataset 'data'" in message
    assert "(values: 0, 1)" in message
    assert "example" not in message


def test_text_outcome_needs_a_positive_label():
    frame = _frame().assign(p=["hire", "reject"] * 20)
    assert "positive label is ambiguous" in _error(frame)
    report = run_fairness(frame, sensitive_features=["sex"], positive_label="hire", **GATE)
    rates = [g.rate for g in evidence_of(report).feature_sets[0].rates[0].groups[:2]]
    assert rates == [1.0, 0.0]


def test_text_values_are_never_quoted_in_errors():
    frame = _frame().assign(p=["jane@example.com", "joe@example.com"] * 20)
    message = _error(frame, positive_label="x")
    assert "example.com" not in message


def test_score_that_is_not_numeric():
    frame = _frame().assign(score=["high", "low"] * 20)
    message = _error(frame, {"score": "score"}, metric="scoring_rate")
    assert "score column 'score' of dataset 'data' is VARCHAR, not numeric" in message


def test_sensitive_feature_that_does_not_exist():
    message = _error(_frame(), sensitive_features=["gender"])
    assert "dataset 'data' has no column 'gender' (named as a sensitive feature)" in message


def test_no_sensitive_features_anywhere():
    with pytest.raises(InputError, match="declares no sensitive_features"):
        run_fairness(_frame(), **GATE)


def test_missing_label_column_for_error_rates():
    message = _error(_frame(), {"label": None}, metric="false_positive_rate")
    assert "declares no label column" in message


def test_all_predictions_negative_fails_with_a_reason_not_a_pass():
    report = run_fairness(_frame(80).assign(p=0), sensitive_features=["sex"], **GATE)
    assert [f.message for f in report.findings] == [
        "selection rate by sex cannot be compared: every compared group's rate is 0, so no "
        "ratio is defined"
    ]
    assert "every selection is negative" in evidence_of(report).warnings[0]


def test_all_predictions_positive_passes_with_a_warning():
    report = run_fairness(_frame(80).assign(p=1), sensitive_features=["sex"], **GATE)
    assert report.findings == ()
    assert "every selection is positive" in evidence_of(report).warnings[0]


def test_single_group_cannot_pass():
    report = run_fairness(_frame().assign(sex="F"), sensitive_features=["sex"], **GATE)
    assert report.findings[0].message.endswith("1 group can be compared; at least 2 are needed")
    assert "'sex' has 1 known group: nothing to compare" in evidence_of(report).warnings


def test_single_group_is_reported_not_failed_without_a_threshold():
    report = run_fairness(
        _frame().assign(sex="F"), sensitive_features=["sex"], metric="selection_rate"
    )
    assert report.findings == ()
    assert evidence_of(report).feature_sets[0].rates[0].undefined


@pytest.mark.parametrize("column", ["y", "p"])
def test_nan_in_label_or_prediction_is_an_error_by_default(column):
    frame = _frame().astype({column: float})
    frame.loc[[3, 7], column] = np.nan
    message = _error(frame, metric="accuracy")
    assert "2 of 40 rows of dataset 'data' have no value in 'y' or 'p'" in message
    assert "missing_outcomes: exclude" in message


def test_nan_in_prediction_can_be_excluded_and_is_counted():
    frame = _frame().astype({"p": float})
    frame.loc[[0, 4], "p"] = np.nan  # two F rows, both selected before
    report = run_fairness(frame, sensitive_features=["sex"], missing_outcomes="exclude", **GATE)
    evidence = evidence_of(report)
    female = evidence.feature_sets[0].rates[0].groups[0]
    assert (female.group, female.outcome_missing, female.rows) == ("sex=F", 2, 20)
    assert female.trials == 18
    assert female.successes == 8
    assert evidence.outcome_missing == 2
    assert "2 rows without a selection are left out of every rate" in evidence.warnings


def test_zero_rows():
    message = _error(_frame().iloc[:0])
    assert "dataset 'data' has no rows" in message


def test_ten_thousand_values_in_a_sensitive_feature():
    frame = pd.DataFrame(
        {
            "applicant_id": [f"A{i}" for i in range(10_000)],
            "y": [0, 1] * 5_000,
            "p": [1, 0] * 5_000,
        }
    )
    message = _error(frame, sensitive_features=["applicant_id"])
    assert (
        "sensitive feature 'applicant_id' of dataset 'data' has 10000 distinct values in 10000 "
        "non-empty rows (more than half): it looks like an identifier"
    ) in message
    assert "A1" not in message.replace("A100", "")  # no value of the column is shown


def test_identifier_hidden_past_the_first_rows_is_still_refused():
    frame = pd.DataFrame(
        {
            "code": ["a"] * 100_000 + [f"x{i}" for i in range(150)],
            "y": 0,
            "p": 1,
        }
    )
    message = _error(frame, sensitive_features=["code"])
    assert "has at least 151 distinct values, more than max_groups (100)" in message


def test_threshold_needed_to_select_by_score():
    message = _error(_frame(), {"prediction": None, "score": "score"})
    assert "no threshold is set" in message


def test_boolean_and_text_outcomes_with_their_positive_label():
    frame = _frame()
    as_bool = frame.assign(y=frame["y"].astype(bool), p=frame["p"].astype(bool))
    as_text = frame.assign(
        y=frame["y"].map({1: "yes", 0: "no"}), p=frame["p"].map({1: "yes", 0: "no"})
    )
    rule = {"metric": "true_positive_rate", "sensitive_features": ["sex"]}
    expected = _rates(run_fairness(frame, **rule))
    assert _rates(run_fairness(as_bool, **rule)) == expected
    assert _rates(run_fairness(as_text, positive_label="yes", **rule)) == expected


def _rates(report) -> list:
    return [g.rate for g in evidence_of(report).feature_sets[0].rates[0].groups]


def _file_error(path: Path) -> str:
    store = DatasetStore({"data": DatasetSpec(path=path, label="y", prediction="p")})
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    spec = FairnessSpec.model_validate(
        {"dataset": "data", "sensitive_features": ["race_ethnicity"], **GATE}
    )
    try:
        with pytest.raises(InputError) as raised:
            FairnessCheck().run(spec, context)
    finally:
        store.close()
    return raised.value.diagnostics()


def test_binary_file_named_csv_lists_twenty_of_its_garbage_columns(tmp_path):
    rng = random.Random(1)
    alphabet = [b for b in range(1, 128) if b not in b"\n\r,\"'"] + [ord(",")] * 12
    path = tmp_path / "applicants.csv"
    path.write_bytes(bytes(rng.choice(alphabet) for _ in range(40_000)))
    message = _file_error(path)
    assert "dataset 'data' has no column 'race_ethnicity'" in message
    hint = message.split("its columns are: ", 1)[1]
    listed, more = hint.rsplit(" … and ", 1)
    assert more.endswith(" more") and int(more.removesuffix(" more")) > 1000
    assert len(listed) < 20 * 45
    assert not any(not c.isprintable() for c in message.replace("\n", ""))


def test_a_few_columns_are_all_listed(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("sex,y,p\nF,1,0\nM,0,1\n")
    assert message_hint(_file_error(path)) == (
        "if another column holds 'race_ethnicity', map it in the manifest "
        "(sensitive_features: {race_ethnicity: COLUMN, ...}); its columns are: sex, y, p"
    )


def message_hint(message: str) -> str:
    return message.split("hint: ", 1)[1]
