"""The GitHub Action: valid against GitHub's schemas, no input interpolated into a script,
annotations that no finding text can turn into a workflow command, and its audit step run
end to end on the example (signing key handled privately and removed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from governance.ci.annotations import Annotation, escape_data, escape_property, main
from governance.ci.code_scanning import rebased
from governance.cli.app import app
from tests.conftest import DOC_POLICY, GOOD_CARD

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "action.yml"
BIN = Path(sys.executable).parent
_README_WORKFLOW = re.compile(r"```yaml\n(# \.github/workflows/governance\.yml\n.*?)```", re.S)


def readme_workflow() -> str:
    found = _README_WORKFLOW.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert found, "the README shows no .github/workflows/governance.yml"
    return found.group(1)


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_action_validates_against_githubs_action_schema():
    checked = check_jsonschema("vendor.github-actions", ACTION)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_readme_workflow_validates_and_runs_the_action(tmp_path):
    workflow = tmp_path / "governance.yml"
    workflow.write_text(readme_workflow(), encoding="utf-8")
    checked = check_jsonschema("vendor.github-workflows", workflow)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    steps = yaml.safe_load(workflow.read_text())["jobs"]["audit"]["steps"]
    action_steps = [s for s in steps if s.get("uses", "").split("@")[0].endswith("/governance")]
    assert len(action_steps) == 1
    declared = set(yaml.safe_load(ACTION.read_text())["inputs"])
    assert set(action_steps[0]["with"]) <= declared
    assert action_steps[0]["with"]["manifest"] == "examples/hiring/audit.yaml"
    assert (REPO / action_steps[0]["with"]["manifest"]).exists()


def test_a_broken_action_is_refused_by_the_schema(tmp_path):
    """The schema check can fail: a step without `shell` in a composite action is invalid."""
    action = yaml.safe_load(ACTION.read_text())
    del action["runs"]["steps"][1]["shell"]
    broken = tmp_path / "action.yml"
    broken.write_text(yaml.safe_dump(action))
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def _run_scripts(document: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "run" and isinstance(value, str):
                found.append(value)
            else:
                found += _run_scripts(value)
    elif isinstance(document, list):
        for item in document:
            found += _run_scripts(item)
    return found


def test_no_expression_is_interpolated_into_a_script():
    """`${{ inputs.x }}` in a `run:` script is pasted into the shell before it runs (script
    injection): inputs reach scripts through `env:` only."""
    scripts = _run_scripts(yaml.safe_load(ACTION.read_text())) + _run_scripts(
        yaml.safe_load(readme_workflow())
    )
    assert scripts
    assert [s for s in scripts if "${{" in s] == []


def test_escaping_follows_githubs_rules():
    assert escape_data("50% \r\n::x") == "50%25 %0D%0A::x"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    annotation = Annotation(
        command="error",
        title="R-1: rate, by group",
        message="group 'x\n::error::forged' at 20%0A",
        file="data/a,b:c.csv",
        line=3,
    )
    assert annotation.workflow_command() == (
        "::error file=data/a%2Cb%3Ac.csv,line=3,title=R-1%3A rate%2C by group"
        "::group 'x%0A::error::forged' at 20%250A"
    )


HOSTILE_LABEL = "B\n::error file=x::forged%0A::warning::also forged,\r::set-output name=a::b"


def test_a_hostile_group_label_cannot_inject_a_workflow_command(write, tmp_path, capsys):
    rows = ["grp,label,pred"]
    rows += [f"A,1,{i % 2}" for i in range(100)]
    quoted = '"' + HOSTILE_LABEL.replace('"', '""') + '"'
    rows += [f"{quoted},1,{int(i % 10 == 0)}" for i in range(100)]
    write("data.csv", "\n".join(rows) + "\n")
    write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: FAIR-1
            title: "Impact ratio, at least: 0.8"
            severity: high
            fairness: {metric: selection_rate, compare: ratio_to_max, min: 0.8,
                       sensitive_features: [grp], min_group_size: 10}
        """,
    )
    manifest = write(
        "audit.yaml",
        """\
        name: hostile
        datasets:
          d: {path: data.csv, label: label, prediction: pred, sensitive_features: [grp]}
        policies: [policy.yaml]
        """,
    )
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app, ["audit", str(manifest), "--out", str(out), "--format", "sarif", "--quiet"]
    )
    assert result.exit_code == 1, result.output
    capsys.readouterr()
    assert main([str(out / "report.sarif"), "--base", "models/hiring"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "::error file=models/hiring/audit.yaml,title=FAIR-1%3A Impact ratio%2C at least%3A 0.8::"
    )
    message = lines[0].split("::", 2)[2]
    assert "\r" not in message
    assert "%0A::warning" not in message  # the label's own "%0A" is %-escaped, not decoded
    assert "%250A::warning::also forged" in message


def test_waived_and_reported_results_are_not_annotated():
    log = {
        "runs": [
            {
                "tool": {"driver": {"rules": [{"id": "R", "shortDescription": {"text": "t"}}]}},
                "results": [
                    {"ruleId": "R", "level": "error", "message": {"text": "open"}},
                    {
                        "ruleId": "R",
                        "level": "error",
                        "message": {"text": "waived"},
                        "suppressions": [{"kind": "external"}],
                    },
                    {"ruleId": "R", "level": "none", "message": {"text": "reported"}},
                    {"ruleId": "R", "level": "note", "message": {"text": "low"}},
                ],
                "invocations": [
                    {
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": "crashed"}},
                            {"level": "note", "message": {"text": "a note"}},
                        ]
                    }
                ],
            }
        ]
    }
    from governance.ci.annotations import finding_annotations

    shown = [(a.command, a.message) for a in finding_annotations(log)]
    assert shown == [("error", "open"), ("notice", "low"), ("error", "crashed")]


def test_a_missing_sarif_is_one_error(tmp_path, capsys):
    assert main([str(tmp_path / "none.sarif")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.parametrize(
    "content",
    [
        '{"runs": "x"}',
        '{"runs": [{"results": [{"level": "error", "locations": [{"physicalLocation": 7}]}]}]}',
        '{"runs": [{"tool": {"driver": {"rules": [{"name": "no id"}]}}}]}',
        "[" * 100_000 + "]" * 100_000,
        '{"n": ' + "9" * 5000 + "}",
    ],
)
def test_a_sarif_log_of_another_shape_is_one_error(tmp_path, capsys, content):
    sarif = tmp_path / "report.sarif"
    sarif.write_text(content, encoding="utf-8")
    assert main([str(sarif)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {sarif}: not a")


def test_code_scanning_copy_has_paths_from_the_repository_root():
    log = {
        "runs": [
            {
                "originalUriBaseIds": {"MANIFEST_DIR": {}},
                "results": [
                    {
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {
                                        "uri": "MODEL%20CARD.md",
                                        "uriBaseId": "MANIFEST_DIR",
                                    }
                                }
                            }
                        ]
                    }
                ],
            }
        ]
    }
    copied = rebased(log, "models/hiring")
    artifact = copied["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"] == {"uri": "models/hiring/MODEL%20CARD.md"}
    assert "originalUriBaseIds" not in copied["runs"][0]
    assert log["runs"][0]["originalUriBaseIds"]  # the original is left as it was


SHIM = """\
#!/usr/bin/env bash
# Records where the action put the signing key, and how private it was, then runs the tool.
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --key ]; then
    j=$((i + 1)); key=${!j}
    stat -c '%a' "$key" "$(dirname "$key")" > "$SHIM_RECORD"
    echo "$key" >> "$SHIM_RECORD"
  fi
done
exec "$REAL_GOVERNANCE" "$@"
"""


def test_the_action_audit_step_on_the_example(tmp_path):
    work = tmp_path / "repo"
    shutil.copytree(REPO / "examples", work / "examples")
    subprocess.run(
        [str(BIN / "governance"), "keys", "init", "--name", "CI", "--out", str(tmp_path / "k")],
        check=True,
        capture_output=True,
    )
    key_text = (tmp_path / "k" / "signing-key.pem").read_text()
    shim_dir = tmp_path / "bin"
    shim_dir.mkdir()
    (shim_dir / "governance").write_text(SHIM)
    (shim_dir / "governance").chmod(0o755)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    summary, outputs, record = tmp_path / "summary.md", tmp_path / "outputs", tmp_path / "record"
    env = {
        **os.environ,
        "PATH": f"{shim_dir}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "REAL_GOVERNANCE": str(BIN / "governance"),
        "SHIM_RECORD": str(record),
        "MANIFEST": "examples/hiring/audit.yaml",
        "FAIL_ON": "high",
        "FORMATS": "console,json",  # sarif and md are added by the action
        "OUT": "reports/governance",
        "SIGNING_KEY": key_text,
        "SIGNING_CERT": str(tmp_path / "k" / "signing-cert.pem"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner_temp),
    }
    ran = subprocess.run(
        ["bash", str(REPO / "action" / "run-audit.sh")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr  # the gate is the action's last step
    assert "PRIVATE KEY" not in ran.stdout + ran.stderr
    modes, key_path = record.read_text().splitlines()[:2], record.read_text().splitlines()[2]
    assert modes == ["600", "700"]
    assert not Path(key_path).exists() and list(runner_temp.glob("governance-key*")) == []

    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert written["exit-code"] == "1"  # the example fails its gate on purpose
    assert written["report-folder"] == "reports/governance"
    reports = work / "reports" / "governance"
    assert {"report.sarif", "summary.md", "attestation.intoto.jsonl"} <= {
        p.name for p in reports.iterdir()
    }
    assert summary.read_text() == (reports / "summary.md").read_text()

    # Workflow commands are stopped while the tool prints, and resumed with the same token.
    stop = next(line for line in ran.stdout.splitlines() if line.startswith("::stop-commands::"))
    token = stop.removeprefix("::stop-commands::")
    assert len(token) == 32 and f"::{token}::" in ran.stdout.splitlines()
    annotations = ran.stdout.split(f"::{token}::\n", 1)[1].splitlines()
    assert (
        "::error file=examples/hiring/MODEL_CARD.md,line=45,title=DOC-MC-005%3A Model card states"
        " known limitations::section 'Limitations' (heading '4. Limitations') holds only a "
        "placeholder"
    ) in annotations
    assert all(re.match(r"::(error|warning|notice) file=examples/hiring/", a) for a in annotations)

    scan = json.loads(Path(written["code-scanning-sarif"]).read_text())
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in scan["runs"][0]["results"]
        for location in result["locations"]
    }
    assert "examples/hiring/MODEL_CARD.md" in uris
    assert all((work / uri).exists() for uri in uris)


@pytest.mark.parametrize("planted", ["the folder", "a file in it", "a regular file"])
def test_the_action_reads_and_keeps_no_report_folder_the_audit_did_not_write(tmp_path, planted):
    # The checkout under audit plants reports/governance as a link to a folder of the runner,
    # or a report folder (with an index) holding a link: the step summary and the artifact
    # upload would carry what the link leads to. Or it plants a report of its own, with an
    # audit that fails to run (exit 2: nothing written), which would pass for this audit's.
    secrets = tmp_path / "runner-home"
    secrets.mkdir()
    (secrets / "summary.md").write_text("PRIVATE KEY")
    work = tmp_path / "repo"
    (work / "reports").mkdir(parents=True)
    (work / "card.md").write_text(GOOD_CARD)
    (work / "policy.yaml").write_text(DOC_POLICY)
    (work / "audit.yaml").write_text("name: a\nmodel: {card: card.md}\npolicies: [policy.yaml]\n")
    reports = work / "reports" / "governance"
    if planted == "the folder":
        reports.symlink_to(secrets, target_is_directory=True)
    else:
        reports.mkdir()
        (reports / ".governance-index.json").write_text('{"files":[],"written_by":"governance"}')
        if planted == "a file in it":
            (reports / "summary.md").symlink_to(secrets / "summary.md")
        else:
            (reports / "summary.md").write_text("PRIVATE KEY: all rules passed")
            (work / "policy.yaml").unlink()
    output, written, summary = _run_action_step(work, tmp_path)
    assert ("not found" if planted == "a regular file" else "symbolic link") in output
    assert written == {"exit-code": "2"}
    assert not summary.exists() and "PRIVATE KEY" not in output
    assert sorted(p.name for p in secrets.iterdir()) == ["summary.md"]


def test_the_action_installs_from_its_own_checkout():
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install governance")
    assert '"${GITHUB_ACTION_PATH}[model]"' in install["run"]
    uses = {s["uses"].split("@")[0] for s in steps if "uses" in s}
    assert uses == {
        "actions/setup-python",
        "github/codeql-action/upload-sarif",
        "actions/upload-artifact",
    }
    assert textwrap.dedent(steps[-1]["run"]).strip().endswith('exit "${AUDIT_EXIT:-3}"')


def _run_action_step(work: Path, tmp_path: Path, **env: str) -> tuple[str, dict[str, str], Path]:
    outputs, summary = tmp_path / "outputs", tmp_path / "step-summary.md"
    ran = subprocess.run(
        ["bash", str(REPO / "action" / "run-audit.sh")],
        cwd=work,
        env={
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "FORMATS": "json",
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr  # the gate is the action's last step
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return ran.stdout + ran.stderr, written, summary


def _documentation_audit(work: Path) -> None:
    work.mkdir(parents=True)
    (work / "card.md").write_text(GOOD_CARD)
    (work / "policy.yaml").write_text(DOC_POLICY)
    (work / "audit.yaml").write_text("name: a\nmodel: {card: card.md}\npolicies: [policy.yaml]\n")


@pytest.mark.parametrize("ending", ["kill -KILL $$", "exit 3"])
def test_an_audit_that_ends_without_writing_leaves_a_planted_report_unread(tmp_path, ending):
    # Killed (the runner's memory limit, a cancelled job) or crashed (exit 3), the audit wrote
    # nothing: a report folder the checkout planted is not this audit's, whatever its exit.
    work = tmp_path / "repo"
    _documentation_audit(work)
    planted = work / "reports" / "governance"
    planted.mkdir(parents=True)
    (planted / ".governance-index.json").write_text('{"files":[],"written_by":"governance"}')
    (planted / "summary.md").write_text("PLANTED: every rule passed")
    shim_dir = tmp_path / "bin"
    shim_dir.mkdir()
    (shim_dir / "governance").write_text(f"#!/usr/bin/env bash\n{ending}\n")
    (shim_dir / "governance").chmod(0o755)
    output, written, summary = _run_action_step(
        work, tmp_path, PATH=f"{shim_dir}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}"
    )
    assert "report-folder" not in written and "code-scanning-sarif" not in written
    assert written["exit-code"] != "0"
    assert not summary.exists() and "PLANTED" not in output


def test_an_audit_that_wrote_its_reports_and_then_exits_3_is_published(tmp_path):
    # Exit 3 also means one report could not be rendered after the others were published
    # (`audit_exit_code`): those are this audit's, and the job summary and artifact keep them.
    work = tmp_path / "repo"
    _documentation_audit(work)
    (work / "reports" / "governance").mkdir(parents=True)  # an earlier audit's, replaced
    (work / "reports" / "governance" / ".governance-index.json").write_text(
        '{"files":[],"written_by":"governance"}'
    )
    shim_dir = tmp_path / "bin"
    shim_dir.mkdir()
    (shim_dir / "governance").write_text(
        f'#!/usr/bin/env bash\n"{BIN / "governance"}" "$@" || true\nexit 3\n'
    )
    (shim_dir / "governance").chmod(0o755)
    _, written, summary = _run_action_step(
        work, tmp_path, PATH=f"{shim_dir}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}"
    )
    assert written["exit-code"] == "3"
    assert written["report-folder"] == "reports/governance"
    assert summary.read_text() == (work / "reports" / "governance" / "summary.md").read_text()


def test_the_action_publishes_a_report_folder_named_through_a_link_outside_the_checkout(
    tmp_path,
):
    # The runner's temporary folder reached through a link of the runner's own (a home or
    # /tmp that is a link): the audit writes there, as it writes anywhere --out names outside
    # the checkout, and the action must then publish what it wrote.
    work = tmp_path / "repo"
    _documentation_audit(work)
    (tmp_path / "disk").mkdir()
    (tmp_path / "temp").symlink_to(tmp_path / "disk", target_is_directory=True)
    out = str(tmp_path / "temp" / "governance")
    _, written, summary = _run_action_step(work, tmp_path, OUT=out)
    assert written["exit-code"] == "0"
    assert written["report-folder"] == out
    assert summary.read_text() == (tmp_path / "disk" / "governance" / "summary.md").read_text()
