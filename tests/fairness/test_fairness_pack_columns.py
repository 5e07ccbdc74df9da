"""Packs fit the user's columns: the manifest maps a pack's sensitive features (roles) to the
dataset's columns, declares the values that mean "unknown", and an error about a missing column
points at the manifest line before the pack's rule. Numbers are checked against fairlearn."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate

from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
from governance.checks.pii.evidence import PiiEvidence
from governance.engine.result import AuditResult, Outcome
from governance.engine.run import run_audit
from governance.errors import InputError
from governance.manifest import load_manifest
from tests.conftest import LL144_RULES


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")


def _people(rows: int = 3000, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gender = rng.choice(["Female", "Male", "?"], rows, p=[0.47, 0.47, 0.06])
    race = rng.choice(
        ["Asian", "Black", "White", "N/A", "Pacific"], rows, p=[0.2, 0.2, 0.5, 0.09, 0.01]
    )
    base = np.where(race == "Black", 0.2, 0.35) + np.where(gender == "Female", -0.05, 0.0)
    predicted = (rng.random(rows) < base).astype(int)
    score = np.round(rng.random(rows) * 0.6 + 0.3 * predicted, 4)
    return pd.DataFrame({"gender": gender, "race": race, "predicted": predicted, "score": score})


SEXES_AND_RACES = """\
    sensitive_features:
      sex: gender
      race_ethnicity: race
    unknown_values: ["?", "N/A"]
"""


def _audit(tmp_path: Path, data: pd.DataFrame, dataset: str = SEXES_AND_RACES) -> Path:
    data.to_csv(tmp_path / "people.csv", index=False)
    manifest = textwrap.dedent(
        """\
        name: mapped
        datasets:
          people:
            path: people.csv
            prediction: predicted
            score: score
        """
    )
    manifest += textwrap.indent(textwrap.dedent(dataset), "    ")
    manifest += "policies: [builtin:nyc-ll144]\n"
    (tmp_path / "audit.yaml").write_text(manifest)
    return tmp_path / "audit.yaml"


@pytest.fixture()
def mapped(tmp_path: Path) -> tuple[pd.DataFrame, AuditResult]:
    data = _people()
    return data, run_audit(_audit(tmp_path, data))


def _evidence(result: AuditResult, rule_id: str) -> FairnessEvidence:
    evidence = {r.id: r for r in result.rules}[rule_id].evidence
    assert isinstance(evidence, FairnessEvidence)
    return evidence


def test_ll144_runs_on_gender_and_race_columns_through_the_manifest_alone(mapped):
    data, result = mapped
    assert {r.id: r.outcome for r in result.rules} == dict.fromkeys(
        LL144_RULES,
        Outcome.REPORTED,  # LL144 sets no threshold: figures only
    )
    assert _evidence(result, "LL144-SEL-INTERSECT").feature_sets[0].features == ("gender", "race")
    known = data[(data["gender"] != "?") & (data["race"] != "N/A")]
    for rule_id, column in (("LL144-SEL-SEX", "gender"), ("LL144-SEL-RACE", "race")):
        evidence = _evidence(result, rule_id)
        assert evidence.mapped_features == (
            (("sex", "gender"),) if column == "gender" else (("race_ethnicity", "race"),)
        )
        rows = data[data[column] != {"gender": "?", "race": "N/A"}[column]]
        mf = MetricFrame(
            metrics=selection_rate,
            y_true=rows["predicted"],
            y_pred=rows["predicted"],
            sensitive_features=rows[column],
        )
        groups = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}
        compared = [g for g in groups.values() if g.status is GroupStatus.COMPARED]
        top = max(g.rate or 0 for g in compared)
        for value, expected in mf.by_group.items():
            group = groups[f"{column}={value}"]
            assert group.rate == expected
            if group.status is GroupStatus.COMPARED:
                assert group.impact_ratio == expected / top
    assert len(known) < len(data)


def test_declared_unknown_values_are_counted_not_compared_and_named(mapped):
    data, result = mapped
    evidence = _evidence(result, "LL144-SEL-RACE")
    (feature_set,) = evidence.feature_sets
    assert feature_set.unknown_values == ("N/A",)
    assert feature_set.unknown_rows == (data["race"] == "N/A").sum()
    groups = {g.group: g for g in feature_set.rates[0].groups}
    assert "race=N/A" not in groups
    assert groups["race=(unknown)"].status is GroupStatus.UNKNOWN
    assert groups["race=(unknown)"].rows == (data["race"] == "N/A").sum()
    rule = {r.id: r for r in result.rules}["LL144-SEL-RACE"]
    assert (
        f"{feature_set.unknown_rows} rows have a missing or unknown race (taken as unknown: "
        "'N/A'): counted, not compared"
    ) in [note.text for note in rule.notes]
    # Pacific (1%) is under LL144's 2% and named; the intersection's unknowns hold both markers.
    assert any("race=Pacific (" in note.text for note in rule.notes)
    both = _evidence(result, "LL144-SEL-INTERSECT").feature_sets[0]
    assert both.unknown_values == ("?", "N/A")


def test_a_missing_mapped_column_is_reported_at_the_manifest_line_before_any_rule(tmp_path):
    data = _people().rename(columns={"gender": "sex_at_birth"})
    with pytest.raises(InputError) as raised:
        run_audit(_audit(tmp_path, data))
    text = raised.value.diagnostics()
    first_line = text.splitlines()[0]
    assert first_line == (
        f"{tmp_path / 'audit.yaml'}:8:7 (datasets.people.sensitive_features.sex): dataset "
        "'people' has no column 'gender' (sensitive_features maps 'sex' to it)"
    )
    assert "map 'sex' to one of its columns" in text and "sex_at_birth" in text
    assert "site-packages" not in text and "/policies/" not in text


def test_a_pack_role_the_manifest_does_not_map_points_at_the_manifest(tmp_path):
    data = _people()
    with pytest.raises(InputError) as raised:
        run_audit(_audit(tmp_path, data, "sensitive_features: [gender, race]\n"))
    text = raised.value.diagnostics()
    assert text.startswith(
        f"{tmp_path / 'audit.yaml'}:7:5 (datasets.people.sensitive_features): rule "
        "'LL144-SEL-SEX' (builtin:nyc-ll144, line "
    )
    assert "dataset 'people' has no column 'sex' (named as a sensitive feature)" in text
    assert "map it in the manifest (sensitive_features: {sex: COLUMN, ...})" in text


@pytest.mark.parametrize(
    ("dataset", "where", "message"),
    [
        (
            "sensitive_features: 5\n",
            "7:5 (datasets.people.sensitive_features)",
            "must be a list of columns",
        ),  # fmt: skip
        (
            "sensitive_features: {sex: 3}\n",
            "7:5 (datasets.people.sensitive_features)",
            "'sensitive_features.sex' must be a column name",
        ),  # fmt: skip
        (
            "sensitive_features: {sex: g, gender: g}\n",
            "7:5 (datasets.people.sensitive_features)",
            "a column is named more than once: g",
        ),  # fmt: skip
        (
            "sensitive_features: [g, g]\n",
            "7:5 (datasets.people.sensitive_features)",
            "a column is named more than once: g",
        ),  # fmt: skip
        (
            'unknown_values: ["?", " "]\n',
            "7:5 (datasets.people.unknown_values)",
            "holds an empty value",
        ),  # fmt: skip
        (
            "unknown_values: [-1]\n",
            "7:22 (datasets.people.unknown_values.0)",
            "'unknown_values[0]' must be text",
        ),  # fmt: skip
        (
            "unknown_values: '?'\n",
            "7:5 (datasets.people.unknown_values)",
            "'unknown_values' must be a list",
        ),  # fmt: skip
        (
            "unknown_value: ['?']\n",
            "7:5 (datasets.people.unknown_value)",
            "unknown key 'unknown_value'",
        ),  # fmt: skip
    ],
)
def test_new_manifest_keys_are_validated_at_their_line_and_key(tmp_path, dataset, where, message):
    with pytest.raises(InputError) as raised:
        load_manifest(_audit(tmp_path, _people(rows=10), dataset))
    text = raised.value.diagnostics()
    assert text.startswith(f"{tmp_path / 'audit.yaml'}:{where}: "), text
    assert message in text


def test_a_mapped_column_counts_as_a_declared_sensitive_feature_for_gdpr_art9(tmp_path):
    manifest = _audit(tmp_path, _people(rows=200))
    manifest.write_text(manifest.read_text().replace("builtin:nyc-ll144", "builtin:gdpr-pii"))
    art9 = {r.id: r for r in run_audit(manifest).rules}["GDPR-PII-002"]
    assert art9.outcome is Outcome.PASSED
    assert isinstance(art9.evidence, PiiEvidence)
    race = next(c for c in art9.evidence.columns if c.column == "race")
    assert race.special_category and race.special_category_declared
