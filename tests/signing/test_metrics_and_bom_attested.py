"""`metrics.prom` and `bom.cdx.json` are report files like the others: subjects of the
attestation, and checked by `governance verify`, which fails when either is edited."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from governance.cli.app import app
from tests.reports.figures_audit import figures_audit

runner = CliRunner()


def test_the_metrics_and_the_bom_are_attested_and_verified(tmp_path: Path) -> None:
    figures_audit(tmp_path / "audit")  # writes the audit's files (and audits them once)
    keys = tmp_path / "keys"
    made = runner.invoke(app, ["keys", "init", "--name", "Audit Team", "--out", str(keys)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    audit = runner.invoke(
        app,
        [
            "audit",
            str(tmp_path / "audit" / "audit.yaml"),
            "--out",
            str(out),
            "-q",
            "-f",
            "json,openmetrics,cyclonedx",
            "--sign",
            "--key",
            str(keys / "signing-key.pem"),
            "--cert",
            str(keys / "signing-cert.pem"),
        ],
    )
    assert audit.exit_code == 1, audit.output  # the audit fails its gate; reports are signed
    trust = ["--trust", str(keys / "signing-cert.pem")]
    verify = runner.invoke(app, ["verify", str(out), *trust])
    assert verify.exit_code == 0, verify.output
    assert "bom.cdx.json" in verify.output and "metrics.prom" in verify.output
    for name in ("metrics.prom", "bom.cdx.json"):
        path = out / name
        original = path.read_bytes()
        path.write_bytes(original.replace(b"figures", b"fixture"))
        tampered = runner.invoke(app, ["verify", str(out), *trust])
        assert tampered.exit_code == 1, tampered.output
        assert f"{name} differs from the attested file" in tampered.output
        path.write_bytes(original)
