"""The report says how to re-run the audit exactly (formats, gate, who, signing) and lists
every library that shaped its figures and bytes."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.environment import tool_info
from governance.engine.result import AuditResult
from governance.render.html_report import render_html
from governance.render.reproduce_command import reproduce_command
from governance.severity import Severity
from tests.signing.report_factory import EXAMPLE


def _with_audit(result: AuditResult, **changes: object) -> AuditResult:
    return result.model_copy(update={"audit": result.audit.model_copy(update=changes)})


def test_the_command_names_formats_gate_runner_and_signing(result: AuditResult) -> None:
    ran = _with_audit(
        result,
        formats=("console", "json", "pdf"),
        signed=True,
        run_by="Priya Shah (model 'risk')",
        fail_on=Severity.CRITICAL,
    )
    words = shlex.split(reproduce_command(ran))
    assert words[0] == f"SOURCE_DATE_EPOCH={int(ran.audit.created_at.timestamp())}"
    assert words[1:4] == ["governance", "audit", "audit.yaml"]
    options = words[4:]
    assert options[options.index("--format") + 1] == "console,json,pdf"
    assert options[options.index("--fail-on") + 1] == "critical"
    assert options[options.index("--run-by") + 1] == "Priya Shah (model 'risk')"
    assert {"--sign", "--key", "--cert"} <= set(options)
    # The audit command accepts it as it is, and reads back the same options.
    audit = typer.main.get_group(app).commands["audit"]
    params = audit.make_context("audit", words[3:]).params
    assert params["formats"] == "console,json,pdf" and params["sign"] is True
    assert params["run_by"] == "Priya Shah (model 'risk')" and params["fail_on"] == "critical"


def test_an_unsigned_api_run_has_no_format_or_signing_options(result: AuditResult) -> None:
    words = shlex.split(reproduce_command(result))
    assert "--format" not in words and "--sign" not in words
    assert words[words.index("--run-by") + 1] == "Priya Shah (model risk)"


def test_the_html_report_shows_the_command(result: AuditResult) -> None:
    html = render_html(_with_audit(result, formats=("html",), signed=True))
    assert "--format html --fail-on high --run-by &#39;Priya Shah (model risk)&#39;" in html
    assert "--sign --key KEY.pem --cert CERT.pem" in html


def test_the_cli_records_the_formats_and_signing_it_was_asked_for(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "example")
    out = tmp_path / "out"
    outcome = CliRunner().invoke(
        app,
        [
            "audit",
            str(tmp_path / "example" / "audit.yaml"),
            "--format",
            "json,md",
            "--out",
            str(out),
            "--run-by",
            "CI",
            "--quiet",
        ],
    )
    assert outcome.exit_code == 1, outcome.output
    audit = AuditResult.model_validate_json((out / "audit.json").read_text()).audit
    assert audit.formats == ("json", "md") and audit.signed is False and audit.run_by == "CI"


def test_the_software_table_lists_every_library_behind_a_number_or_a_byte() -> None:
    libraries = tool_info().libraries
    for name in (
        "numpy",
        "scipy",
        "duckdb",
        "presidio-analyzer",
        "weasyprint",
        "pyHanko",
        "cryptography",
        "pillow",
    ):
        assert name in libraries, name
    assert "spacy" not in libraries  # only when a spaCy model is used
    with_model = tool_info(nlp_model="spacy").libraries  # any installed distribution
    assert "spacy" in with_model and "spaCy model spacy" in with_model
