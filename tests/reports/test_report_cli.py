"""`governance audit --format ...`: every chosen report is written; one crashing renderer costs
only its own report (exit 3); an unwritable folder is a clear error with nothing written."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.errors import OutputError
from governance.render import formats
from governance.render.formats import ReportFormat
from governance.report_files import create_output_folder
from governance.report_folder.index import INDEX_FILE

CARD = """\
---
license: apache-2.0
---
# Model card

## Intended use

Ranking loan applications for manual review by trained credit officers at a regional bank.
"""
POLICY = """\
policy: docs
rules:
  - id: DOC-1
    title: Card states its intended use
    severity: high
    controls: ["eu-ai-act:annex-iv(1)(a)"]
    documentation:
      document: model_card
      required_sections: [Intended use{extra}]
"""
ALL = ",".join(f.value for f in ReportFormat)


def _audit(folder: Path, *, failing: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "card.md").write_text(CARD, encoding="utf-8")
    extra = ", Limitations" if failing else ""
    (folder / "policy.yaml").write_text(POLICY.format(extra=extra), encoding="utf-8")
    manifest = folder / "audit.yaml"
    manifest.write_text(
        textwrap.dedent(
            """\
            name: small
            model: {card: card.md}
            policies: [policy.yaml]
            """
        ),
        encoding="utf-8",
    )
    return manifest


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26T00:00:00Z


def _run(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(app, ["audit", *args])
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_every_chosen_format_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = _run(str(_audit(tmp_path / "a")), "--out", str(out), "--format", ALL)
    assert code == 0
    expected = {f.file_name for f in ReportFormat if f.file_name}
    assert {p.name for p in out.iterdir()} == expected | {INDEX_FILE}
    assert "PASSED" in stdout


def test_the_same_audit_twice_gives_byte_identical_reports(tmp_path: Path) -> None:
    manifest = str(_audit(tmp_path / "a", failing=True))
    for run in ("one", "two"):
        formats = "json,pdf,sarif,junit,openmetrics,cyclonedx"
        code, _, _ = _run(manifest, "--out", str(tmp_path / run), "-f", formats)
        assert code == 1
    written = ("audit.json", "report.pdf", "report.sarif", "junit.xml")
    for name in (*written, "metrics.prom", "bom.cdx.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@pytest.mark.parametrize("failing", [False, True], ids=["gate passed", "gate failed"])
def test_a_crashing_format_leaves_the_others_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: bool
) -> None:
    out = tmp_path / "out"
    manifest = str(_audit(tmp_path / "a", failing=failing))
    assert _run(manifest, "--out", str(out), "-f", "json,md,sarif,junit")[0] in (0, 1)
    assert (out / "report.sarif").is_file()  # from the earlier audit

    def crash(result: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(formats._renderers(), ReportFormat.SARIF, crash)
    code, _, stderr = _run(manifest, "--out", str(out), "-f", "json,md,sarif,junit")
    assert code == 3  # whatever the gate decided: a missing report outranks it
    assert "the sarif report could not be rendered (RuntimeError: renderer bug)" in stderr
    # the older audit's report.sarif is gone: it would be taken for this audit's
    assert {p.name for p in out.iterdir()} == {"audit.json", "summary.md", "junit.xml", INDEX_FILE}


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, stderr = _run(str(_audit(tmp_path / "a")), "--out", str(blocker / "x"), "-f", ALL)
    assert code == 2
    assert stderr.startswith(f"error: {blocker / 'x'}: cannot create the output folder")
    assert "Traceback" not in stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        code, _, stderr = _run(str(_audit(tmp_path / "a")), "--out", str(out), "-f", "json,md")
    finally:
        out.chmod(0o700)
    assert code == 2
    assert "cannot write to the output folder" in stderr
    assert list(out.iterdir()) == []


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = _run(str(_audit(tmp_path / "a")), "-f", "json,docx")
    assert code == 2
    assert "unknown report format 'docx'" in stderr and "sarif" in stderr


def test_the_example_audit_writes_the_pdf_by_default(tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).resolve().parents[2] / "examples" / "hiring"
    shutil.copytree(example, tmp_path / "hiring")
    out = tmp_path / "out"
    code, stdout, _ = _run(str(tmp_path / "hiring" / "audit.yaml"), "--out", str(out))
    assert code == 1  # the example fails its gate on purpose
    assert {p.name for p in out.iterdir()} == {
        "audit.json",
        "summary.md",
        "report.pdf",
        "report.sarif",
        "junit.xml",
        INDEX_FILE,
    }
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-1.7")
    assert "wrote" in stdout


def test_create_output_folder_makes_nested_folders_and_names_a_path_it_cannot_create(
    tmp_path: Path,
) -> None:
    nested = tmp_path / "a" / "b"
    create_output_folder(nested)
    create_output_folder(nested)  # an existing folder is fine
    assert nested.is_dir()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot create the output folder") as raised:
        create_output_folder(blocker / "x")
    assert raised.value.location is not None and raised.value.location.file == blocker / "x"
