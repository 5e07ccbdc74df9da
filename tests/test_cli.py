"""The command line, through typer's CliRunner: exit codes, outputs, error messages."""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.render.formats import ReportFormat
from governance.report_folder.lock import folder_lock
from governance.report_folder.publishing import publish_reports
from governance.resources import resource_dir

runner = CliRunner()


def _schema() -> dict:
    return json.loads((resource_dir("schemas") / "audit-result.schema.json").read_text())


def test_example_audit_fails_the_gate_and_writes_reports(example, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(example), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output
    assert "DOC-MC-006" in result.output
    assert "holds only a placeholder" in result.output
    assert "expired on 2026-09-30" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".governance-index.json",
        "audit.json",
        "junit.xml",
        "report.pdf",
        "report.sarif",
        "summary.md",
    ]
    report = json.loads((out / "audit.json").read_text())
    jsonschema.validate(report, _schema(), cls=jsonschema.Draft202012Validator)
    assert report["verdict"] == "failed"
    hashed = {i["path"] for i in report["inputs"]}
    assert {"audit.yaml", "MODEL_CARD.md", "DATASHEET.md", "data/applicants.csv"} <= hashed
    summary = (out / "summary.md").read_text()
    assert summary.startswith("## Audit `hiring-screen-v3`: ❌ Failed")
    assert "| 💥 |" not in summary


def test_fail_on_critical_passes_the_same_audit(example, tmp_path):
    result = runner.invoke(
        app, ["audit", str(example), "--out", str(tmp_path / "o"), "--fail-on", "critical"]
    )
    assert result.exit_code == 0, result.output
    assert "PASSED WITH WAIVERS" in result.output


def test_default_output_folder_is_reports_audit_name(small_audit, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["audit", str(small_audit), "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "reports" / "small" / "audit.json").is_file()


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("policy: p\nrules: [\n", "policy.yaml:3:1: policy is not valid YAML"),
        (
            "policy: p\nrules:\n  - id: X\n    title: t\n    severity: high\n    magic: {}\n",
            "policy.yaml:6:5 (rules.0.magic): unknown key 'magic'; a rule needs exactly one",
        ),
        ("policy: p\nextends: [builtin:missing]\nrules: []\n", "unknown built-in policy pack"),
        ("policy: p\nrules: []\n", "policy.yaml:2:1 (rules): the policy defines no rules"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_no_report(
    small_audit, write, tmp_path, policy, message
):
    write("policy.yaml", policy)
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not out.exists()


def _run_by(small_audit, out, *options):
    result = runner.invoke(
        app, ["audit", str(small_audit), "--out", str(out), "-f", "json", *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))["audit"]["run_by"]


def test_who_ran_the_audit_is_recorded(small_audit, tmp_path, monkeypatch):
    monkeypatch.delenv("GOVERNANCE_RUN_BY", raising=False)
    assert _run_by(small_audit, tmp_path / "login") == getpass.getuser()
    monkeypatch.setenv("GOVERNANCE_RUN_BY", "ci: release pipeline #42")
    assert _run_by(small_audit, tmp_path / "variable") == "ci: release pipeline #42"
    named = _run_by(small_audit, tmp_path / "option", "--run-by", "  Priya Shah  ")
    assert named == "Priya Shah"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # with a zero-width non-joiner
    assert _run_by(small_audit, tmp_path / "persian", "--run-by", persian) == persian
    assert _run_by(small_audit, tmp_path / "nobody", "--run-by", "") is None


def test_a_login_name_that_is_not_a_plain_name_is_left_out(small_audit, tmp_path, monkeypatch):
    monkeypatch.delenv("GOVERNANCE_RUN_BY", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "mallory\n# injected heading")
    assert _run_by(small_audit, tmp_path / "out") is None


@pytest.mark.parametrize(
    ("option", "variable", "named"),
    [
        (["--run-by", "Priya\nShah"], None, "--run-by"),
        ([], "x" * 201, "GOVERNANCE_RUN_BY"),
    ],
)
def test_who_ran_it_must_be_one_short_line(
    small_audit, tmp_path, monkeypatch, option, variable, named
):
    if variable is not None:
        monkeypatch.setenv("GOVERNANCE_RUN_BY", variable)
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(out), *option])
    assert result.exit_code == 2
    message = f"{named} must be one line of text without control characters, at most 200"
    assert message in result.stderr
    assert not out.exists()


def test_missing_manifest(tmp_path):
    result = runner.invoke(app, ["audit", str(tmp_path / "audit.yaml")])
    assert result.exit_code == 2
    assert "audit manifest not found" in result.stderr


def test_unknown_format_and_severity_are_usage_errors(small_audit):
    result = runner.invoke(app, ["audit", str(small_audit), "--format", "json,docx"])
    assert result.exit_code == 2
    assert "unknown report format 'docx'" in result.stderr
    assert runner.invoke(app, ["audit", str(small_audit), "--fail-on", "severe"]).exit_code == 2


def test_unwritable_output_folder(small_audit, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "cannot create the output folder" in result.stderr


def test_internal_errors_exit_3_without_traceback(small_audit, monkeypatch):
    import governance.engine.run as engine  # the command imports it when an audit runs

    def explode(*args, **kwargs):
        raise ZeroDivisionError("bad maths")

    monkeypatch.setattr(engine, "run_audit", explode)
    result = runner.invoke(app, ["audit", str(small_audit)])
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: bad maths" in result.stderr
    assert "Traceback" not in result.stderr
    debug = runner.invoke(app, ["--debug", "audit", str(small_audit)])
    assert "Traceback" in debug.stderr


def test_a_bad_parameter_raised_in_a_command_is_a_usage_error_not_an_internal_one(
    small_audit, monkeypatch
):
    """typer's own exceptions pass through to typer (exit 2 with its message), whichever
    copy of click typer runs on."""
    import typer

    import governance.engine.run as engine

    def refuse(*args, **kwargs):
        raise typer.BadParameter("not this one")

    monkeypatch.setattr(engine, "run_audit", refuse)
    result = runner.invoke(app, ["audit", str(small_audit)])
    assert result.exit_code == 2
    assert "not this one" in result.stderr
    assert "internal error" not in result.stderr


def test_every_format_renders(small_audit):
    from governance.engine.run import run_audit

    result = run_audit(small_audit)
    for report_format in ReportFormat:
        rendered = report_format.render(result)
        assert rendered, report_format


def test_policies_list_show_validate(write):
    listed = runner.invoke(app, ["policies", "list"])
    assert listed.exit_code == 0 and "builtin:baseline" in listed.output
    shown = runner.invoke(app, ["policies", "show", "builtin:baseline"], terminal_width=200)
    assert shown.exit_code == 0 and "DOC-MC-001" in shown.output
    good = write("good.yaml", "policy: g\nextends: [builtin:baseline]\n")
    valid = runner.invoke(app, ["policies", "validate", str(good)])
    assert valid.exit_code == 0 and "valid, 14 rules" in valid.output
    bad = write(
        "bad.yaml", "policy: g\nrules:\n  - id: A\n    documentation: {document: model_card}\n"
    )
    invalid = runner.invoke(app, ["policies", "validate", str(bad)])
    assert invalid.exit_code == 2
    assert "bad.yaml:3:5 (rules.0.title): missing required key 'title'" in invalid.stderr


def test_python_dash_m_runs_the_cli():
    completed = subprocess.run(
        [sys.executable, "-m", "governance", "policies", "list"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent,
    )
    assert completed.returncode == 0, completed.stderr
    assert "builtin:baseline" in completed.stdout


def test_a_folder_never_mixes_two_audits(small_audit, tmp_path):
    out = tmp_path / "out"
    # an earlier audit wrote a signed set; the user then put a file of their own beside it
    publish_reports(out, {"attestation.intoto.jsonl": "earlier", "report.pdf": "earlier"})
    (out / "notes.txt").write_text("the user's own file")
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(out), "-f", "json,md"])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".governance-index.json",
        "audit.json",
        "notes.txt",
        "summary.md",
    ]
    assert (out / "notes.txt").read_text() == "the user's own file"


def test_a_folder_governance_did_not_write_is_refused_unless_forced(small_audit, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").write_text("the user's own report")
    (out / "notes.txt").write_text("the user's own file")
    audit = ["audit", str(small_audit), "--out", str(out), "-f", "json,md"]
    result = runner.invoke(app, audit)
    assert result.exit_code == 2
    assert "the folder is not empty and governance did not write it" in result.stderr
    assert "pass --force" in result.stderr
    result = runner.invoke(app, [*audit, "--force"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".governance-index.json",
        "audit.json",
        "notes.txt",
        "report.pdf",
        "summary.md",
    ]
    assert (out / "report.pdf").read_text() == "the user's own report"
    # a report of the same name would replace the user's file: refused, even with --force
    result = runner.invoke(app, [*audit[:-1], "json,md,pdf", "--force"])
    assert result.exit_code == 2
    assert "report.pdf in the folder was not written by governance" in result.stderr
    assert (out / "report.pdf").read_text() == "the user's own report"


def test_a_second_audit_on_the_same_folder_fails_at_once(small_audit, tmp_path):
    out = tmp_path / "out"
    with folder_lock(out.resolve()):  # an audit of the same folder under way
        result = runner.invoke(app, ["audit", str(small_audit), "--out", str(out), "-f", "json"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: {out.resolve()}: another audit is writing this report folder right now\n"
        "  hint: wait for it to finish, or choose another --out"
    )
    assert not out.exists()


def test_the_manifests_own_folder_is_refused(small_audit):
    folder = small_audit.parent
    before = sorted(p.name for p in folder.iterdir())
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(folder), "--force"])
    assert result.exit_code == 2
    assert "refusing to write reports into the manifest's folder" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def test_one_blocking_rule_is_counted_in_the_singular(small_audit, tmp_path):
    card = (tmp_path / "card.md").read_text().split("## Limitations")[0]
    (tmp_path / "card.md").write_text(card)
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert "; 1 rule blocks the gate" in " ".join(result.output.split())


def test_a_misspelt_report_format_suggests_the_one_meant(small_audit, tmp_path):
    result = runner.invoke(app, ["audit", str(small_audit), "--format", "jsn,md"])
    assert result.exit_code == 2
    assert "unknown report format 'jsn' (did you mean 'json'?)" in result.output


def test_output_cut_short_by_its_reader_is_no_crash():
    """`governance schema audit-result | head -1`: the reader stops, the command stops quietly."""
    command = [sys.executable, "-m", "governance", "schema", "audit-result"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # nothing reads: the first write fails
    errors = process.stderr.read().decode()
    assert process.wait() == 141
    assert errors == ""
