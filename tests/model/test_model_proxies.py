"""The proxy table: normalised mutual information from the engine's counts equals
scikit-learn's `normalized_mutual_info_score` on the same binned values, and a proxy fails."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from tests.model.model_check import applicants, evidence_of, run_model

LEVELS = [i / 10 for i in range(1, 10)]


def _binned(values: pd.Series) -> list[str]:
    """What the check groups by: a numeric value's quantile bin when the feature has more than
    10 values (DuckDB's `quantile_disc` is numpy's `inverted_cdf`; bin k holds values up to
    edge k), else the value itself, and a missing value as a value of its own."""
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > len(LEVELS) + 1:
        finite = values[np.isfinite(values)]
        edges = np.unique(np.quantile(finite, LEVELS, method="inverted_cdf"))
        bins = np.searchsorted(edges, values, side="left")
        return [str(b) if np.isfinite(v) else "missing" for b, v in zip(bins, values, strict=True)]
    return ["missing" if v is None or not str(v).strip() else str(v) for v in values]


def _frame() -> pd.DataFrame:
    frame = applicants(20_000, seed=11)
    rng = np.random.default_rng(5)
    frame.loc[rng.choice(len(frame), 300, replace=False), "experience"] = np.nan
    zip_code = frame["zip_code"].astype(object)
    zip_code[rng.choice(len(frame), 200, replace=False)] = None
    zip_code[rng.choice(len(frame), 50, replace=False)] = "  "  # blank: missing too
    frame["zip_code"] = zip_code
    race = frame["race"].astype(object)
    race[rng.choice(len(frame), 150, replace=False)] = "Unknown"
    race[rng.choice(len(frame), 150, replace=False)] = None
    frame["race"] = race
    frame["rating"] = rng.integers(1, 6, len(frame)) + (frame["race"] == "B")  # 6 values
    # Thousands of values: too many cells to count with every sensitive feature at once, so
    # this feature is counted pair by pair (the others together).
    frame["code"] = [f"c{v}" for v in rng.integers(0, 2_500, len(frame))]
    frame["p"] = frame["y"]
    return frame


@pytest.mark.parametrize("normalization", ["arithmetic", "geometric", "min", "max"])
def test_nmi_equals_scikit_learn_on_the_same_binned_data(normalization):
    frame = _frame()
    features = ["experience", "skill", "zip_code", "sex", "rating", "code"]
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.99, "normalization": normalization, "max_categories": 5000}},
        features=features,
        dataset={"sensitive_features": ["race", "sex"]},
    )
    rows = {(r.feature, r.sensitive_feature): r for r in evidence_of(report).proxies}
    assert len(rows) == len(features) * 2
    for (feature, sensitive), row in rows.items():
        known = frame[sensitive].notna() & (frame[sensitive] != "Unknown")
        # Bin edges come from every row; the measure then keeps rows with a known group.
        binned = np.array(_binned(frame[feature]))[known.to_numpy()]
        expected = normalized_mutual_info_score(
            frame.loc[known, sensitive].astype(str), binned, average_method=normalization
        )
        assert row.rows == int(known.sum())
        assert row.feature_values == len(set(binned))
        assert row.nmi == pytest.approx(expected, abs=1e-12), (feature, sensitive)


def test_a_proxy_of_a_sensitive_feature_fails_and_independent_features_pass():
    frame = applicants(5_000, seed=2).assign(p=0)
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.2}},
        features=["experience", "skill", "zip_code"],
        dataset={"sensitive_features": ["race", "sex"]},
    )
    evidence = evidence_of(report)
    failing = [(r.feature, r.sensitive_feature) for r in evidence.proxies if r.failing]
    assert failing == [("zip_code", "race")]
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.scope.column == "zip_code"
    assert "predicts sensitive feature 'race'" in finding.message
    assert "> 0.2 over 5000 rows" in finding.message
    (table,) = evidence.tables()
    assert table.columns[:3] == ("input feature", "sensitive feature", "NMI")
    assert "rows used" in table.columns
    (chart,) = evidence.charts()
    assert [bar.label for bar in chart.bars if bar.flagged] == ["zip_code"]


def test_a_text_feature_with_too_many_values_is_not_measured_and_fails():
    frame = applicants(3_000, seed=3).assign(p=0)
    frame["applicant"] = [f"id{i}" for i in range(len(frame))]
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.5, "max_categories": 50}},
        features=["applicant", "skill"],
        dataset={"sensitive_features": ["race"]},
    )
    row = evidence_of(report).proxies[0]
    assert row.nmi is None and row.failing
    assert "more than max_categories (50)" in (row.note or "")
    assert "could not be measured" in report.findings[0].message


def test_a_sensitive_feature_with_one_known_value_is_not_measured_and_fails():
    # Nothing in the data can show whether the feature predicts it: the rule cannot pass.
    frame = applicants(500, seed=4).assign(p=0, race="A")
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.1}},
        features=["zip_code"],
        dataset={"sensitive_features": ["race"]},
    )
    row = evidence_of(report).proxies[0]
    assert row.nmi is None and row.failing
    (finding,) = report.findings
    assert "could not be measured against 'race': fewer than two known" in finding.message


def test_many_input_features_are_counted_in_chunks():
    frame = applicants(1_000, seed=6).assign(p=0)
    rng = np.random.default_rng(1)
    extra = {f"f{i}": rng.choice(["a", "b", "c"], len(frame)) for i in range(70)}
    frame = pd.concat([frame, pd.DataFrame(extra)], axis=1)
    features = [*extra, "zip_code"]
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.3}},
        features=features,
        dataset={"sensitive_features": ["race", "sex"]},
    )
    rows = evidence_of(report).proxies
    assert len(rows) == len(features) * 2
    assert all(row.rows == len(frame) for row in rows)
    assert [(r.feature, r.sensitive_feature) for r in rows if r.failing] == [("zip_code", "race")]


def test_sensitive_features_mapped_by_role_are_read_from_their_columns():
    frame = applicants(2_000, seed=8).assign(p=0)
    dataset = {"sensitive_features": {"race_ethnicity": "race", "sex": "sex"}}
    report = run_model(
        frame,
        {"proxies": {"max_nmi": 0.2, "sensitive_features": ["race_ethnicity"]}},
        features=["zip_code", "skill"],
        dataset=dataset,
    )
    assert [(r.feature, r.sensitive_feature) for r in evidence_of(report).proxies] == [
        ("zip_code", "race"),
        ("skill", "race"),
    ]
    assert [f.scope.column for f in report.findings] == ["zip_code"]
    prohibited = run_model(
        frame,
        {"prohibited_inputs": {}},
        features=["race_ethnicity_A", "race", "skill"],
        dataset=dataset,
    )
    assert [f.scope.column for f in prohibited.findings] == ["race_ethnicity_A", "race"]
