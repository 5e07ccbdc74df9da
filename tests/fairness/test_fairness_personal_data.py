"""A sensitive feature's values become group labels in findings, audit.json and every report:
a column declared as personal data, or one that identifies people, is refused before anything
is counted, and no message quotes a data value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from governance.cli.app import app
from governance.errors import InputError
from tests.fairness.conftest import evidence_of, run_fairness

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hiring"
GATE = {"metric": "selection_rate", "compare": "ratio_to_max", "min": 0.8}


def _emails(rows: int = 50) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "email": [f"alice{i}@example.com" for i in range(rows)],
            "sex": ["F", "M"] * (rows // 2),
            "y": [1, 0] * (rows // 2),
            "p": [1, 1, 0, 0, 0] * (rows // 5),
        }
    )


def _error(frame: pd.DataFrame, dataset: dict | None = None, **rule) -> str:
    with pytest.raises(InputError) as raised:
        run_fairness(frame, dataset, **{**GATE, **rule})
    return raised.value.diagnostics()


def test_email_column_as_a_sensitive_feature_is_refused_without_quoting_it():
    message = _error(_emails(), sensitive_features=["email"])
    assert "sensitive feature 'email' of dataset 'data' has 50 distinct values in 50" in message
    assert "looks like an identifier" in message
    assert "alice" not in message and "example.com" not in message


def test_a_column_declared_in_pii_columns_is_refused_whatever_its_values():
    frame = _emails().assign(email=["a@example.com", "b@example.com"] * 25)  # 2 values only
    message = _error(
        frame, {"pii_columns": {"email": "EMAIL_ADDRESS"}}, sensitive_features=["email"]
    )
    assert "sensitive feature 'email' of dataset 'data' is declared as personal data" in message
    assert "pii_columns" in message
    assert "example.com" not in message


def test_the_dataset_declared_sensitive_features_are_checked_too():
    message = _error(_emails(), {"sensitive_features": ["sex", "email"]})
    assert "sensitive feature 'email'" in message


@pytest.mark.parametrize(
    ("rows", "distinct", "refused"),
    [
        (20, 11, True),  # more than half of 20 rows
        (20, 10, False),  # exactly half: a small categorical sample
        (19, 19, False),  # under 20 rows every value may be distinct
        (200, 101, True),
    ],
)
def test_identifier_threshold_is_more_than_half_from_twenty_rows(rows, distinct, refused):
    frame = pd.DataFrame(
        {
            "g": [f"v{i % distinct}" for i in range(rows)],
            "y": [i % 2 for i in range(rows)],
            "p": [(i // 2) % 2 for i in range(rows)],
        }
    )
    rule = {"sensitive_features": ["g"], "metric": "selection_rate", "max_groups": 1000}
    if refused:
        with pytest.raises(InputError, match="looks like an identifier"):
            run_fairness(frame, **rule)
    else:
        groups = evidence_of(run_fairness(frame, **rule)).feature_sets[0].rates[0].groups
        assert sum(g.rows for g in groups) == rows


def test_missing_values_do_not_count_as_rows_of_the_identifier_test():
    # 30 rows, 12 distinct values among 20 present: refused, though 12 is under half of 30.
    values = [f"v{i % 12}" for i in range(20)] + [None] * 10
    frame = pd.DataFrame({"g": values, "y": [0, 1] * 15, "p": [1, 0, 0] * 10})
    with pytest.raises(InputError, match="12 distinct values in 20 non-empty rows"):
        run_fairness(frame, sensitive_features=["g"], metric="selection_rate")


def test_numeric_outcome_values_other_than_codes_are_not_quoted():
    frame = _emails().assign(p=[35017, 70023] * 25)  # e.g. salaries: data, not codes
    message = _error(frame, sensitive_features=["sex"], positive_label=1)
    assert "positive label 1 does not occur in column 'p'" in message
    assert "35017" not in message and "70023" not in message


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("contact_email", "is declared as personal data in its pii_columns"),
        ("applicant_id", "has 4000 distinct values in 4000 non-empty rows"),
    ],
)
def test_audit_refuses_a_personal_column_with_exit_2_and_writes_nothing(tmp_path, column, reason):
    target = tmp_path / "hiring"
    shutil.copytree(EXAMPLE, target)
    manifest = yaml.safe_load((target / "audit.yaml").read_text())
    manifest["datasets"]["applicants"]["sensitive_features"] = ["sex", column]
    (target / "audit.yaml").write_text(yaml.safe_dump(manifest))
    # the example's four-fifths rule names its features; it is the one that meets the column
    policy = target / "hiring-policy.yaml"
    kept = "sensitive_features: [sex, race_ethnicity]"
    assert kept in policy.read_text()
    policy.write_text(policy.read_text().replace(kept, f"sensitive_features: [sex, {column}]"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(target / "audit.yaml"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"sensitive feature '{column}' of dataset 'applicants' {reason}" in result.output
    assert "example.com" not in result.output and "A100000" not in result.output
    assert not out.exists() or not any(out.iterdir())
