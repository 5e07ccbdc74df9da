"""Prohibited inputs are judged on what the artifact takes: a manifest whose `model.features`
leaves out an input the model does take (its `race_ethnicity`) is refused, even when no other
rule loads the model, rather than passing on the list it wrote."""

from __future__ import annotations

from typer.testing import CliRunner

from governance.cli.app import app
from tests.model.conftest import applicants, skops_bytes

runner = CliRunner()

POLICY = """\
policy: inputs
rules:
  - id: INPUTS-1
    title: No sensitive feature is a model input
    severity: high
    model: {prohibited_inputs: {prohibited: [race_ethnicity]}}
"""


def test_declared_features_that_hide_an_input_of_the_artifact_are_refused(audit_folder):
    from sklearn.linear_model import LogisticRegression

    frame = applicants().assign(race_ethnicity=[0, 1] * 200)
    model = LogisticRegression().fit(frame[["experience", "race_ethnicity"]], frame["hired"])
    manifest = audit_folder(
        "model.skops",
        skops_bytes(model),
        frame=frame,
        model_lines="  features: [experience]\n",
        dataset_lines="",
        policy=POLICY,
    )
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(manifest.parent / "o")])
    assert result.exit_code == 2, result.output
    assert "'model.features' lists experience but the model takes experience, race_ethnicity" in (
        result.output
    )
