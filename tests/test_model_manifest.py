"""The manifest's model block: a pinned sha256 and the declared input features are validated
when the manifest is read, naming the line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from tests.conftest import GOOD_CARD

runner = CliRunner()


def _manifest(tmp_path: Path, model_lines: str) -> Path:
    (tmp_path / "card.md").write_text(GOOD_CARD, encoding="utf-8")
    manifest = tmp_path / "audit.yaml"
    manifest.write_text(
        "name: m\nmodel:\n  card: card.md\n" + model_lines + "policies: [builtin:baseline]\n",
        encoding="utf-8",
    )
    return manifest


@pytest.mark.parametrize(
    ("model_lines", "located", "problem"),
    [
        ("  sha256: ABC\n", "(model.sha256)", "should match pattern"),
        ("  sha256: " + "A" * 64 + "\n", "(model.sha256)", "should match pattern"),
        ("  features: []\n", "(model.features)", "at least 1 item"),
        ("  features: [age, age]\n", "(model.features)", "more than once: age"),
        ("  features: [age, '']\n", "(model.features.1)", "at least 1 character"),
        ("  sha256: " + "1" * 64 + "\n", "(model.sha256)", "must be text"),
    ],
)
def test_bad_model_block_is_refused_at_its_key(tmp_path, model_lines, located, problem):
    manifest = _manifest(tmp_path, model_lines)
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output + result.stderr
    assert "audit.yaml:4:" in result.stderr and located in result.stderr, result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_pinned_sha256_and_features_are_accepted(tmp_path):
    manifest = _manifest(tmp_path, "  sha256: " + "0a" * 32 + "\n  features: [age, score]\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert (out / "audit.json").is_file()
