"""The attestation binds the example's numbers to the model that computed them: its sha256 and
the digest of the predictions; `verify --inputs` fails once the model file changes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import AuditResult
from governance.signing.attestation import statement_bytes
from tests.signing.report_factory import Workspace

runner = CliRunner()


def test_the_statement_binds_the_predictions_to_the_models_sha256(
    example_result: tuple[Path, AuditResult],
) -> None:
    manifest, result = example_result
    artifact = manifest.parent / "model" / "hiring-screen.skops"
    predicate = json.loads(statement_bytes(result, {}))["predicate"]
    model = predicate["model"]
    assert model["digest"]["sha256"] == hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert model["artifact"] == "model/hiring-screen.skops"
    assert model["pickleOptIn"] is False
    assert result.model is not None
    (scored,) = model["scored"]
    assert scored == {
        "dataset": "applicants",
        "rows": 4000,
        "predictions": {"sha256": result.model.scored[0].predictions_sha256},
    }


def test_verify_inputs_fails_when_the_model_file_changes(workspace: Workspace) -> None:
    def verify() -> str:
        outcome = runner.invoke(
            app,
            [
                "verify",
                str(workspace.report),
                "--trust",
                str(workspace.signer.cert),
                "--inputs",
                str(workspace.manifest),
            ],
        )
        return f"{outcome.exit_code}\n{outcome.output}"

    assert verify().startswith("0\n")
    artifact = workspace.manifest.parent / "model" / "hiring-screen.skops"
    artifact.write_bytes(artifact.read_bytes() + b"\0")
    changed = verify()
    assert changed.startswith("1\n")
    assert "model/hiring-screen.skops" in changed
