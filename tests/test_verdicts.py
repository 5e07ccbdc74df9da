"""What the verdict says, from the command line: a rule without a threshold reads *reported*
in every format, `--fail-on none` reports without gating, `--version`, and summary.md as a
pull-request comment."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine import environment
from governance.policy.loader import builtin_pack_names
from tests.conftest import EXAMPLE, LL144_RULES

runner = CliRunner()
ALL_FORMATS = "console,json,md,html,pdf,sarif,junit,oscal"


@pytest.fixture(scope="module")
def example_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The example audited once with every format: the console output and the report folder."""
    out = tmp_path_factory.mktemp("example") / "reports"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795651200")
        patch.setattr(environment, "utc_today", lambda: dt.date(2026, 11, 26))
        result = runner.invoke(
            app,
            ["audit", str(EXAMPLE / "audit.yaml"), "--out", str(out), "--format", ALL_FORMATS],
            terminal_width=200,
        )
    assert result.exit_code == 1, result.output
    return result.output, out


def test_the_ll144_rules_read_reported_on_the_console(example_reports):
    console, _ = example_reports
    outcomes = {match[1]: match[0] for match in re.findall(r"│ (\w+) +│ (LL144-[A-Z-]+) ", console)}
    assert outcomes == dict.fromkeys(LL144_RULES, "reported")
    assert "figures only, no threshold" in console
    assert re.search(r"FAILED — 12 passed, 6 reported, 10 failed, 1 waived;", console)


def test_the_ll144_rules_read_reported_in_audit_json_junit_and_sarif(example_reports):
    _, out = example_reports
    audit = json.loads((out / "audit.json").read_text())
    assert {r["id"] for r in audit["rules"] if r["outcome"] == "reported"} == LL144_RULES
    assert audit["counts"]["reported"] == 6 and audit["counts"]["passed"] == 12

    junit = ET.fromstring((out / "junit.xml").read_text())
    for case in junit.iter("testcase"):
        rule_id = case.attrib["name"].split(":")[0]
        outcome = case.find("properties/property[@name='outcome']")
        if rule_id in LL144_RULES:
            assert outcome is not None and outcome.attrib["value"] == "reported"
            assert case.find("failure") is None and case.find("skipped") is None
            assert "impact ratio" in (case.findtext("system-out") or "")
        else:
            assert outcome is None

    run = json.loads((out / "report.sarif").read_text())["runs"][0]
    informational = {r["ruleId"] for r in run["results"] if r["kind"] == "informational"}
    assert informational == LL144_RULES
    levels = {d["id"]: d["defaultConfiguration"]["level"] for d in run["tool"]["driver"]["rules"]}
    assert {levels[rule] for rule in LL144_RULES} == {"note"}


def test_the_coverage_matrix_never_says_passed_for_ll144(example_reports):
    _, out = example_reports
    html = (out / "report.html").read_text()
    for clause in ("§5-301(b)(1)", "§5-301(b)(3)", "§5-301(c)(1)"):
        row = re.search(rf"{re.escape(clause)}</th>(.*?)</tr>", html, re.S)
        assert row is not None, clause
        assert "outcome-passed" not in row[1]
        assert row[1].rstrip().endswith('<span class="badge outcome-reported">reported</span></td>')
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Coverage rows start with their clause (the LL144 summary table's start with an element).
    rows = [
        line for line in text.splitlines() if line.lstrip().startswith("§5-301") and "LL144" in line
    ]
    assert rows and all("reported" in row and "passed" not in row for row in rows)


def test_summary_md_is_a_short_pull_request_comment(example_reports):
    _, out = example_reports
    summary = (out / "summary.md").read_text()
    assert len(summary.encode()) < 4096
    attention = summary[summary.index("### Failed and errored") : summary.index("### Waived")]
    assert re.findall(r"`([A-Z0-9-]+)`", attention) == [
        "ACME-HR-003",
        "ACME-HR-005",
        "DOC-DS-004",
        "DOC-MC-005",
        "DOC-MC-006",
        "EEOC-4-5",
        "GDPR-PII-003",
        "ACME-HR-002",
        "DOC-DS-007",
        "DOC-MC-007",
    ]
    assert "impact ratio 0.194 is below the minimum 0.8" in attention
    collapsed = summary[summary.index("<details>") : summary.index("</details>")]
    assert "6 reported and 12 passed rules" in collapsed
    reported = collapsed[collapsed.index("📊 Reported") : collapsed.index("✅ Passed")]
    # the example's comment is near its budget: the reported rules are listed by id
    assert set(re.findall(r"`([A-Z0-9-]+)`", reported)) == LL144_RULES
    assert "(some groups left out)" in reported
    passed = collapsed[collapsed.index("✅ Passed") :]
    assert len(re.findall(r"`([A-Z0-9-]+)`", passed)) == 12  # passed rules by id
    assert summary.index("### Waived") < summary.index("<details>")


def test_fail_on_none_reports_every_failure_and_exits_0(example_reports, tmp_path):
    result = runner.invoke(
        app,
        ["audit", str(EXAMPLE / "audit.yaml"), "--out", str(tmp_path / "o"), "--fail-on", "none"],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    assert "10 failed" in result.output
    assert "the gate fails only on an errored rule" in result.output
    audit = json.loads((tmp_path / "o" / "audit.json").read_text())
    assert audit["audit"]["fail_on"] == "none"
    assert audit["counts"]["failed"] == 10


def test_fail_on_none_still_fails_on_an_errored_rule(write, tmp_path):
    write("data.csv", "name,note\nA,hello\nB,world\n")
    write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: NER-1
            title: No person names
            severity: low
            pii: {entities: [PERSON]}
        """,
    )
    manifest = write(
        "audit.yaml",
        """\
        name: ner
        datasets:
          people: {path: data.csv}
        policies: [policy.yaml]
        """,
    )
    result = runner.invoke(
        app, ["audit", str(manifest), "--out", str(tmp_path / "o"), "--fail-on", "none"]
    )
    assert result.exit_code == 1, result.output
    assert "errored" in result.output


def test_version_prints_the_installed_distribution():
    expected = f"governance {metadata.version('governance-audit')}\n"
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, expected)
    completed = subprocess.run(
        [sys.executable, "-m", "governance", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (0, expected)


def test_a_rule_above_info_without_a_threshold_is_a_policy_error(write):
    rule = """\
        policy: p
        rules:
          - id: FAIR-1
            title: Selection rates by sex
            severity: {severity}
            fairness: {{metric: selection_rate, sensitive_features: [sex]}}
        """
    high = write("high.yaml", rule.format(severity="high"))
    refused = runner.invoke(app, ["policies", "validate", str(high)])
    assert refused.exit_code == 2
    assert (
        "high.yaml:5:5 (rules.0.severity): rule 'FAIR-1' has severity 'high' but its fairness "
        "block sets no threshold, so it can never fail" in refused.stderr
    )
    assert "give the rule 'severity: info'" in refused.stderr
    info = write("info.yaml", rule.format(severity="info"))
    assert runner.invoke(app, ["policies", "validate", str(info)]).exit_code == 0
    gated = write("gated.yaml", rule.format(severity="high").replace("[sex]}", "[sex], min: 0.8}"))
    assert runner.invoke(app, ["policies", "validate", str(gated)]).exit_code == 0


@pytest.mark.parametrize("pack", builtin_pack_names())
def test_every_builtin_pack_is_consistent(pack):
    """No shipped rule claims a severity above info without a threshold."""
    result = runner.invoke(app, ["policies", "validate", f"builtin:{pack}"])
    assert result.exit_code == 0, result.stderr


def test_a_waiver_for_a_reported_rule_waives_nothing(example):
    from governance.engine.result import Outcome, WaiverStatus
    from governance.engine.run import run_audit

    waivers = example.parent / "waivers.yaml"
    waivers.write_text(
        waivers.read_text() + "\n  - rule: LL144-SEL-RACE\n    reason: Figures under review.\n"
        "    owner: a@acme.example\n    approved_by: DPO\n    expires: 2027-06-30\n"
    )
    result = run_audit(example)
    rule = next(r for r in result.rules if r.id == "LL144-SEL-RACE")
    assert rule.outcome is Outcome.REPORTED and rule.findings == ()
    (record,) = [w for w in result.waivers if w.rule == "LL144-SEL-RACE"]
    assert record.status is WaiverStatus.UNUSED


def test_an_audit_that_judges_nothing_is_reported_not_passed(example, tmp_path):
    manifest = example.parent / "ll144.yaml"
    manifest.write_text(
        example.read_text()
        .replace("name: hiring-screen-v3", "name: ll144-only")
        .replace("  - hiring-policy.yaml\n  - builtin:gdpr-pii\n", "  - builtin:nyc-ll144\n")
        .replace("waivers: waivers.yaml\n", "")
    )
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["audit", str(manifest), "--out", str(out), "--format", "console,json,md,html"]
    )
    assert result.exit_code == 0, result.output
    assert "\nREPORTED — 6 reported; " in result.output
    assert json.loads((out / "audit.json").read_text())["verdict"] == "reported"
    assert (
        (out / "summary.md")
        .read_text()
        .startswith("## Audit `ll144-only`: 📊 Reported, not judged")
    )
    html = (out / "report.html").read_text()
    assert "Verdict: <strong>Reported, not judged</strong>" in html
    assert "nothing passed or failed" in html


def test_the_example_croissant_declaration_is_reported_against_the_scan(example_reports):
    """The example's Croissant file declares no personal data; the scan finds some, and
    ACME-HR-005 says so at the declaration's line, with the counts."""
    _, out = example_reports
    written = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    [rule] = [r for r in written["rules"] if r["id"] == "ACME-HR-005"]
    assert rule["outcome"] == "failed"
    [finding] = rule["findings"]
    assert finding["location"]["path"] == "applicants.croissant.json"
    croissant = (EXAMPLE / "applicants.croissant.json").read_text(encoding="utf-8")
    line = croissant.splitlines()[finding["location"]["line"] - 1]
    assert '"rai:personalSensitiveInformation"' in line
    assert finding["message"].startswith(
        "/rai:personalSensitiveInformation declares no personal data, but the scan found "
        "EMAIL_ADDRESS in 'contact_email' (1,000 of 1,000 distinct values)"
    )


def test_the_console_says_how_much_of_each_cited_framework_the_rules_test(example_reports):
    console, out = example_reports
    audit = json.loads((out / "audit.json").read_text())
    assert audit["frameworks"]
    assert "Framework coverage (items a rule tests, not compliance):" in console
    for framework in audit["frameworks"]:
        failing = f", {framework['failing']} failing" if framework["failing"] else ""
        line = f"{framework['title']}: {framework['covered']} of {framework['total']} items covered"
        assert f"  {line}{failing}\n" in console
    # it comes before the verdict, which stays the last thing printed
    assert console.index("Framework coverage") < console.index("FAILED — ")


def test_an_audit_whose_every_rule_was_skipped_does_not_read_passed(write, tmp_path):
    manifest = write("audit.yaml", "name: nothing\npolicies: [builtin:eeoc-four-fifths]\n")
    out = tmp_path / "o"
    result = runner.invoke(
        app,
        ["audit", str(manifest), "--out", str(out), "--format", "console,json,md,html,junit"],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output  # a skipped rule never fails the gate
    assert "SKIPPED — 1 skipped; nothing was checked" in result.output
    assert "PASSED" not in result.output
    audit = json.loads((out / "audit.json").read_text())
    assert (audit["verdict"], audit["counts"]["passed"]) == ("skipped", 0)
    summary = (out / "summary.md").read_text()
    assert summary.startswith("## Audit `nothing`: ⏭️ Skipped, nothing checked\n")
    html = (out / "report.html").read_text()
    assert "Verdict: <strong>Skipped, nothing checked</strong>" in html
    assert "The audit <strong>checked nothing</strong>: every rule was skipped" in html
    assert "The audit <strong>passed" not in html and "Verdict: <strong>Passed" not in html
    junit = ET.fromstring((out / "junit.xml").read_text())
    verdict = junit.find(".//properties/property[@name='verdict']")
    assert verdict is not None and verdict.attrib["value"] == "skipped"
