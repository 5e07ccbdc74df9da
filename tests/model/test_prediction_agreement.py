"""`prediction_agreement:` rules: a recorded prediction column that the model does not
reproduce is a finding (stale, or from another model); one it reproduces passes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from governance.cli.app import app
from tests.model.conftest import FEATURES, applicants, classifier, skops_bytes

runner = CliRunner()

AGREEMENT_POLICY = """\
policy: agree
rules:
  - id: AGREE-1
    title: The recorded predictions are the model's
    severity: high
    prediction_agreement: {dataset: applicants, max_disagreement: 0.01}
"""


def _rule(manifest, expected_exit):
    out = manifest.parent / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code == expected_exit, result.output
    (rule,) = json.loads((out / "audit.json").read_text())["rules"]
    return rule


def _folder(
    audit_folder,
    frame,
    dataset_lines="    prediction: recorded\n    from_model: true\n",
    policy=AGREEMENT_POLICY,
):
    model = classifier(applicants())
    return audit_folder(
        "model.skops",
        skops_bytes(model),
        frame=frame,
        dataset_lines=dataset_lines,
        policy=policy,
    )


def test_a_column_the_model_reproduces_passes(audit_folder):
    frame = applicants()
    frame["recorded"] = classifier(frame).predict(frame[FEATURES]).astype(float)  # 1.0 is 1
    rule = _rule(_folder(audit_folder, frame), 0)
    assert rule["outcome"] == "passed"
    assert rule["evidence"]["disagreeing"] == 0
    assert rule["evidence"]["rows"] == len(frame)


def test_a_stale_column_is_a_finding_with_the_count_and_the_models_hash(audit_folder):
    frame = applicants()
    stale = classifier(frame).predict(frame[FEATURES])
    stale[:40] = 1 - stale[:40]
    frame["recorded"] = stale
    frame.loc[40:44, "recorded"] = None
    rule = _rule(_folder(audit_folder, frame), 1)
    assert rule["outcome"] == "failed"
    (finding,) = rule["findings"]
    assert (
        "column 'recorded' of dataset 'applicants' differs from the predictions of model "
        "'model.skops'" in finding["message"]
    )
    assert (
        "on 45 of 400 rows (11.2%, 5 of them empty), above the maximum 1.0%" in (finding["message"])
    )
    assert finding["scope"] == {
        "dataset": "applicants",
        "column": "recorded",
        "group": None,
        "document": None,
    }


def test_agreement_needs_a_dataset_scored_by_the_model(audit_folder, tmp_path):
    frame = applicants().assign(recorded=0)
    manifest = _folder(audit_folder, frame, dataset_lines="    prediction: recorded\n")
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "does not take its predictions from the model" in result.output
    assert not (tmp_path / "out").exists()


def test_an_empty_dataset_is_not_said_to_agree(audit_folder, tmp_path):
    frame = applicants().assign(recorded=0).iloc[:0]
    manifest = _folder(audit_folder, frame)
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "dataset 'applicants' has no rows" in result.output
    assert not (tmp_path / "out").exists()


def test_a_disagreement_just_over_the_maximum_reads_over_it(audit_folder):
    # 41 of 4,000 rows: 1.025%, which one decimal shows as the maximum itself, 1.0%
    frame = applicants(4_000)
    stale = classifier(applicants()).predict(frame[FEATURES])  # the model _folder writes
    stale[:41] = 1 - stale[:41]
    frame["recorded"] = stale
    rule = _rule(_folder(audit_folder, frame), 1)
    (finding,) = rule["findings"]
    assert "on 41 of 4000 rows (1.03%), above the maximum 1.0%" in finding["message"]


def test_a_percentage_over_a_maximum_it_rounds_to_reads_over_it(audit_folder):
    # 45 of 4,000 rows: 1.125%, shown with one decimal as 1.1%, the maximum itself; 1.1 / 100
    # is 0.011000000000000001 in floats, which made "1.1%" look over a maximum of 0.011.
    frame = applicants(4_000)
    stale = classifier(applicants()).predict(frame[FEATURES])  # the model _folder writes
    stale[:45] = 1 - stale[:45]
    frame["recorded"] = stale
    policy = AGREEMENT_POLICY.replace("max_disagreement: 0.01", "max_disagreement: 0.011")
    rule = _rule(_folder(audit_folder, frame, policy=policy), 1)
    (finding,) = rule["findings"]
    assert "on 45 of 4000 rows (1.12%), above the maximum 1.1%" in finding["message"]
