"""Two small scikit-learn models trained here: one uses a sensitive feature, the other a proxy
of it. Their declared input features make the prohibited-inputs rule fail for the first and
the proxy rule fail for the second; the second's predictions then feed the per-group floor."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from governance.errors import InputError
from tests.model.model_check import applicants, evidence_of, run_model

DATASET = {"sensitive_features": ["race", "sex"], "score": "score"}


def _trained(frame: pd.DataFrame, categorical: str) -> Pipeline:
    numeric = ["experience", "skill"]
    model = Pipeline(
        [
            (
                "encode",
                ColumnTransformer(
                    [
                        ("scale", StandardScaler(), numeric),
                        ("onehot", OneHotEncoder(handle_unknown="ignore"), [categorical]),
                    ]
                ),
            ),
            ("classify", LogisticRegression(max_iter=500)),
        ]
    )
    return model.fit(frame[[*numeric, categorical]], frame["y"])


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return applicants(4_000, seed=21)


@pytest.fixture(scope="module")
def uses_race(frame) -> Pipeline:
    return _trained(frame, "race")


@pytest.fixture(scope="module")
def uses_zip(frame) -> Pipeline:
    return _trained(frame, "zip_code")


def _scored(frame: pd.DataFrame, model: Pipeline) -> pd.DataFrame:
    inputs = frame[list(model.feature_names_in_)]
    return frame.assign(p=model.predict(inputs), score=model.predict_proba(inputs)[:, 1])


@pytest.mark.parametrize("names", ["raw", "encoded"])
def test_a_model_that_uses_a_sensitive_feature_fails_prohibited_inputs(frame, uses_race, names):
    features = list(uses_race.feature_names_in_)
    if names == "encoded":  # the names after the encoder: onehot__race_A, ...
        features = list(uses_race[:-1].get_feature_names_out())
    report = run_model(
        _scored(frame, uses_race),
        {"prohibited_inputs": {}},
        features=features,
        dataset=DATASET,
    )
    flagged = [row.feature for row in evidence_of(report).inputs if row.prohibited_as]
    assert flagged == [f for f in features if "race" in f]
    assert flagged and len(report.findings) == len(flagged)
    assert "a sensitive feature of dataset 'data'" in report.findings[0].message


def test_a_model_that_uses_a_proxy_passes_prohibited_inputs_and_fails_proxies(frame, uses_zip):
    scored = _scored(frame, uses_zip)
    features = list(uses_zip.feature_names_in_)
    prohibited = run_model(scored, {"prohibited_inputs": {}}, features=features, dataset=DATASET)
    assert prohibited.findings == ()
    proxies = run_model(scored, {"proxies": {"max_nmi": 0.25}}, features=features, dataset=DATASET)
    assert [(f.scope.column, "'race'" in f.message) for f in proxies.findings] == [
        ("zip_code", True)
    ]
    listed = run_model(
        scored, {"prohibited_inputs": {"prohibited": ["ZIP-Code"]}}, features=features
    )
    assert [f.scope.column for f in listed.findings] == ["zip_code"]


def test_a_floor_on_the_models_accuracy_fails_only_the_groups_under_it(frame, uses_zip):
    scored = _scored(frame, uses_zip)
    rule = {"performance_floor": {"metric": "accuracy", "min": 0.0}}
    report = run_model(scored, rule, features=["experience"], dataset=DATASET)
    rows = {row.group: row for row in evidence_of(report).floors}
    for group, row in rows.items():
        feature, value = group.split("=")
        part = scored[scored[feature] == value]
        assert row.rate == pytest.approx((part["y"] == part["p"]).mean(), abs=1e-15)
        assert row.ci_low is not None and row.ci_low <= row.rate <= (row.ci_high or 0)
    worst = min(rows.values(), key=lambda row: row.rate or 0)
    best = max(rows.values(), key=lambda row: row.rate or 0)
    floor = ((worst.rate or 0) + (best.rate or 0)) / 2
    rule = {"performance_floor": {"metric": "accuracy", "min": floor}}
    report = run_model(scored, rule, features=["experience"], dataset=DATASET)
    failing = sorted(f.scope.group or "" for f in report.findings)
    assert failing == sorted(g for g, row in rows.items() if (row.rate or 0) < floor)
    assert worst.group in failing and best.group not in failing
    assert "Wilson interval" in report.findings[0].message


def test_a_floor_refuses_an_identifier_named_as_a_sensitive_feature(frame, uses_zip):
    scored = _scored(frame, uses_zip).assign(applicant=[f"a{i}" for i in range(len(frame))])
    rule = {"performance_floor": {"metric": "accuracy", "min": 0.5}}
    with pytest.raises(InputError) as raised:
        run_model(scored, rule, dataset={**DATASET, "sensitive_features": ["applicant"]})
    message = raised.value.diagnostics()
    assert "sensitive feature 'applicant' of dataset 'data' has 4000 distinct values" in message
    assert "a1" not in message  # no value of the column is quoted
