"""`governance verify --inputs` re-hashes an audit's inputs under the audit's confinement:
files outside the manifest's folder only with the same `--allow-path`, and datasets audited
in memory are named, not re-hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import governance
from governance.cli.app import app
from governance.engine.result import InputFile
from tests.conftest import DOC_POLICY, GOOD_CARD
from tests.signing.report_factory import KeyFiles, write_signed_report

runner = CliRunner()


def _signed_audit(tmp_path: Path, signer: KeyFiles, **audit_options: object) -> tuple[Path, Path]:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "card.md").write_text(GOOD_CARD, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "policy.yaml").write_text(DOC_POLICY, encoding="utf-8")
    (project / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    manifest = project / "audit.yaml"
    manifest.write_text(
        "name: shared-card\nmodel: {card: ../shared/card.md}\n"
        "datasets:\n  d: {path: data.csv}\npolicies: [policy.yaml]\n",
        encoding="utf-8",
    )
    result = governance.audit(manifest, allow_paths=[shared], **audit_options)
    report = write_signed_report(tmp_path / "report", result, signer.material, None)
    return manifest, report


def _verify(report: Path, signer: KeyFiles, manifest: Path, *extra: str):
    return runner.invoke(
        app,
        ["verify", str(report), "--trust", str(signer.cert), "--inputs", str(manifest), *extra],
    )


def test_inputs_outside_the_folder_verify_only_with_the_same_allow_path(tmp_path, signer):
    manifest, report = _signed_audit(tmp_path, signer)
    refused = _verify(report, signer, manifest)
    assert refused.exit_code == 1
    assert "(model.card)" in refused.output and "outside the manifest's folder" in refused.output
    allowed = _verify(report, signer, manifest, "--allow-path", str(tmp_path / "shared"))
    assert allowed.exit_code == 0, allowed.output
    assert "4 input files unchanged since the audit" in allowed.output


def test_a_dataset_audited_in_memory_is_named_not_rehashed(tmp_path, signer):
    frame = pd.DataFrame({"a": [1, 3], "b": [2, 4]})
    manifest, report = _signed_audit(tmp_path, signer, datasets={"d": frame})
    result = _verify(report, signer, manifest, "--allow-path", str(tmp_path / "shared"))
    assert result.exit_code == 0, result.output
    assert "3 input files unchanged since the audit" in result.output
    assert "audited in memory, not re-hashed: memory:d" in result.output


def test_a_spark_table_recorded_by_identity_is_named_not_claimed_unchanged(tmp_path, signer):
    # A table's content was never hashed, so nothing can show it unchanged: the passing line
    # must say so rather than let "input files unchanged" stand for every input.
    manifest, _ = _signed_audit(tmp_path, signer)
    result = governance.audit(manifest, allow_paths=[tmp_path / "shared"])
    table = InputFile(
        role="dataset",
        path="spark-table:lake.applicants@delta:7",
        sha256=hashlib.sha256(b"spark-table:lake.applicants@delta:7").hexdigest(),
        size=0,
        note="a Spark table, recorded by identity and version: its content was not hashed",
    )
    with_table = result.model_copy(update={"inputs": (*result.inputs, table)})
    report = write_signed_report(tmp_path / "with-table", with_table, signer.material, None)
    verified = _verify(report, signer, manifest, "--allow-path", str(tmp_path / "shared"))
    assert verified.exit_code == 0, verified.output
    assert "4 input files unchanged since the audit" in verified.output
    assert (
        "recorded by identity, not re-checked: spark-table:lake.applicants@delta:7"
        in verified.output
    )
