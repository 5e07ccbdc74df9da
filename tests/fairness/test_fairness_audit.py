"""The fairness check inside a whole audit: the hiring example, the built-in packs, files on
disk, waivers by group, and policy mistakes located in their file."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
from governance.engine.result import AuditResult, Outcome
from governance.engine.run import run_audit
from governance.errors import InputError
from governance.render.json_report import render_json
from tests.conftest import LL144_RULES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hiring"


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26


@pytest.fixture(scope="module")
def example_result(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    target = tmp_path_factory.mktemp("example") / "hiring"
    shutil.copytree(EXAMPLE, target)
    return run_audit(target / "audit.yaml")


def test_example_fails_four_fifths_for_black_and_pacific_islander_applicants(example_result):
    rules = {rule.id: rule for rule in example_result.rules}
    eeoc = rules["EEOC-4-5"]
    assert eeoc.outcome is Outcome.FAILED
    assert eeoc.controls == ("eeoc:1607.4(D)",)
    # Every group is weighed: the small Pacific Islander group (1.7% of the rows) fails too,
    # because its shortfall is significant; LL144's 2% exclusion is not the EEOC's.
    assert [f.scope.group for f in eeoc.findings] == [
        "race_ethnicity=Black or African American",
        "race_ethnicity=Native Hawaiian or Pacific Islander",
    ]
    assert all("p = " in finding.message for finding in eeoc.findings)
    for rule_id in ("DOC-MC-006", "DOC-DS-004"):  # the documentation failures stay
        assert rules[rule_id].outcome is Outcome.FAILED


def test_example_ll144_tables_report_unknowns_exclusions_and_intersections(example_result):
    rules = {rule.id: rule for rule in example_result.rules}
    for rule_id in LL144_RULES:
        assert rules[rule_id].outcome is Outcome.REPORTED  # LL144 sets no threshold
        assert rules[rule_id].severity.value == "info"
    evidence = rules["LL144-SEL-RACE"].evidence
    assert isinstance(evidence, FairnessEvidence)
    groups = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}
    frame = pd.read_csv(EXAMPLE / "data" / "applicants.csv")
    assert groups["race_ethnicity=(unknown)"].rows == (frame["race_ethnicity"] == "Unknown").sum()
    islander = groups["race_ethnicity=Native Hawaiian or Pacific Islander"]
    assert islander.status is GroupStatus.EXCLUDED and islander.rate is not None
    assert "under the minimum share of 2.00%" in (islander.exclusion or "")
    black = groups["race_ethnicity=Black or African American"]
    assert black.impact_ratio is not None and black.impact_ratio < 0.8
    assert black.ci_low is not None and black.ci_low < black.rate < black.ci_high  # type: ignore[operator]
    intersect = rules["LL144-SEL-INTERSECT"].evidence
    assert isinstance(intersect, FairnessEvidence)
    assert intersect.feature_sets[0].features == ("sex", "race_ethnicity")
    assert intersect.tables()[0].title.startswith("selection rate by sex & race_ethnicity")


def test_evidence_survives_the_json_report(example_result):
    document = json.loads(render_json(example_result))
    again = AuditResult.model_validate(document)
    assert again == example_result
    eeoc = next(r for r in document["rules"] if r["id"] == "EEOC-4-5")
    assert eeoc["evidence"]["kind"] == "fairness"


def _audit(
    tmp_path: Path, policy: str, data: pd.DataFrame, waivers: str = "", more: str = ""
) -> Path:
    data.to_parquet(tmp_path / "data.parquet")
    (tmp_path / "policy.yaml").write_text(textwrap.dedent(policy))
    manifest = textwrap.dedent(
        """\
        name: tiny
        datasets:
          applicants:
            path: data.parquet
            label: y
            prediction: p
            sensitive_features: [race]
        """
    )
    manifest += more + "policies: [policy.yaml, builtin:eeoc-four-fifths]\n"
    if waivers:
        (tmp_path / "waivers.yaml").write_text(textwrap.dedent(waivers))
        manifest += "waivers: waivers.yaml\n"
    (tmp_path / "audit.yaml").write_text(manifest)
    return tmp_path / "audit.yaml"


DATA = pd.DataFrame(
    {
        "race": ["A"] * 200 + ["B"] * 200,
        "y": [1, 0] * 200,
        "p": [1] * 100 + [0] * 100 + [1] * 40 + [0] * 160,
    }
)
POLICY = """\
    policy: mine
    rules:
      - id: FAIR-1
        title: Demographic parity
        severity: medium
        fairness: {dataset: applicants, metric: demographic_parity, compare: difference, max: 0.5}
"""


def test_parquet_dataset_and_group_waiver(tmp_path):
    waivers = """\
        waivers:
          - rule: EEOC-4-5
            scope: {dataset: applicants, group: "race=B*"}
            reason: Under review by counsel.
            owner: hr@example.com
            approved_by: Head of HR
            expires: 2027-01-01
    """
    result = run_audit(_audit(tmp_path, POLICY, DATA, waivers))
    outcomes = {rule.id: rule.outcome for rule in result.rules}
    assert outcomes == {"FAIR-1": Outcome.PASSED, "EEOC-4-5": Outcome.WAIVED}


def test_unknown_metric_is_located_in_the_policy_file(tmp_path):
    policy = POLICY.replace("metric: demographic_parity", "metric: demographic_parody")
    with pytest.raises(InputError) as raised:
        run_audit(_audit(tmp_path, policy, DATA))
    message = raised.value.diagnostics()
    assert "policy.yaml:" in message and "metric" in message


def test_data_problem_is_an_input_error_naming_the_dataset(tmp_path):
    with pytest.raises(InputError, match="dataset 'applicants' has no column 'race'"):
        run_audit(_audit(tmp_path, POLICY, DATA.rename(columns={"race": "ethnicity"})))


def test_packs_find_the_only_dataset_and_refuse_to_guess_among_several(tmp_path):
    result = run_audit(_audit(tmp_path, POLICY, DATA))
    assert {r.id: r.outcome for r in result.rules}["EEOC-4-5"] is Outcome.FAILED
    second = "  other:\n    path: data.parquet\n    prediction: p\n"
    with pytest.raises(InputError, match="names no dataset and the manifest declares 2 evaluation"):
        run_audit(_audit(tmp_path, POLICY, DATA, more=second))


def test_a_training_dataset_is_measured_only_when_a_rule_names_it(tmp_path):
    # Declaring the training data (for a declarations rule) must not make the packs' fairness
    # rules ambiguous, nor measure the model on the data it was trained on.
    training = "  train:\n    path: data.parquet\n    prediction: p\n    role: training\n"
    result = run_audit(_audit(tmp_path, POLICY, DATA, more=training))
    eeoc = next(r for r in result.rules if r.id == "EEOC-4-5")
    assert eeoc.outcome is Outcome.FAILED
    assert {f.scope.dataset for f in eeoc.findings} == {"applicants"}
    (tmp_path / "only").mkdir()
    only_training = _audit(tmp_path / "only", POLICY, DATA)
    text = only_training.read_text(encoding="utf-8")
    only_training.write_text(
        text.replace("    path: data.parquet\n", "    path: data.parquet\n    role: training\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="the manifest declares only training datasets"):
        run_audit(only_training)


def test_scoring_rate_rules_are_skipped_without_a_score(tmp_path):
    policy = POLICY.replace("policy: mine\n", "policy: mine\n    extends: [builtin:nyc-ll144]\n")
    data = DATA.assign(sex=["F", "M"] * 200, race_ethnicity=DATA["race"])
    result = run_audit(_audit(tmp_path, policy, data))
    rules = {r.id: r for r in result.rules}
    assert rules["LL144-SCORE-SEX"].outcome is Outcome.SKIPPED
    assert "declares no score column" in (rules["LL144-SCORE-SEX"].reason or "")
    assert rules["LL144-SEL-INTERSECT"].outcome is Outcome.REPORTED
