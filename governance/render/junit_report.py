"""`junit.xml`: one test case per rule, for CI systems that show test reports.

passed → a plain test case; reported (a rule without a threshold) → a passing test case whose
`outcome` property says *reported* and whose `<system-out>` holds the figures; failed →
`<failure>`; errored → `<error>` (the rule could not run); skipped and waived → `<skipped>` with
the reason. Suite counts equal the audit's counts; the suite's properties count passed and
reported rules apart.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from governance.engine.result import AuditResult, Outcome, RuleResult
from governance.render.cells import cell_text

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(result: AuditResult) -> str:
    counts = result.counts
    attributes = {
        "name": f"governance audit {result.audit.name}",
        "tests": str(len(result.rules)),
        "failures": str(counts[Outcome.FAILED.value]),
        "errors": str(counts[Outcome.ERRORED.value]),
        "skipped": str(counts[Outcome.SKIPPED.value] + counts[Outcome.WAIVED.value]),
        "time": _seconds(sum(r.duration_seconds for r in result.rules)),
    }
    suites = ET.Element("testsuites", attributes)
    suite = ET.SubElement(
        suites,
        "testsuite",
        {**attributes, "name": result.audit.name, "timestamp": _timestamp(result)},
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("verdict", result.verdict.value),
        ("fail_on", result.audit.fail_on.value),
        *((f"rules_{outcome}", str(count)) for outcome, count in counts.items()),
        ("manifest", result.audit.manifest),
        ("governance_version", result.tool.version),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _text(value)})
    for rule in sorted(result.rules, key=lambda r: r.id):
        _test_case(suite, rule, result)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _test_case(suite: ET.Element, rule: RuleResult, result: AuditResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _text(rule.origin.policy),
            "name": _text(f"{rule.id}: {rule.title}"),
            "time": _seconds(rule.duration_seconds),
        },
    )
    match rule.outcome:
        case Outcome.FAILED:
            blocking = rule.blocks_gate(result.audit.fail_on)
            count = len([f for f in rule.findings if f.waived_by is None])
            message = f"{count} finding{'s' * (count != 1)} ({rule.severity.value}"
            message += ", blocks the gate)" if blocking else ", below the gate threshold)"
            failure = ET.SubElement(
                case, "failure", {"message": _text(message), "type": rule.severity.value}
            )
            failure.text = _text(_findings_text(rule))
        case Outcome.ERRORED:
            ET.SubElement(
                case,
                "error",
                {"message": _text(rule.reason or "the rule could not run"), "type": "errored"},
            )
        case Outcome.SKIPPED:
            ET.SubElement(case, "skipped", {"message": _text(rule.reason or "skipped")})
        case Outcome.WAIVED:
            reasons = sorted(
                {
                    result.waivers[f.waived_by].reason
                    for f in rule.findings
                    if f.waived_by is not None and f.waived_by < len(result.waivers)
                }
            )
            ET.SubElement(case, "skipped", {"message": _text("waived: " + "; ".join(reasons))})
        case Outcome.REPORTED:
            properties = ET.SubElement(case, "properties")
            ET.SubElement(properties, "property", {"name": "outcome", "value": "reported"})
        case Outcome.PASSED:
            pass
    # One <system-out> per test case (the schema allows one): a reported rule's figures, then
    # what the verdict leaves out (a group not compared), whatever the outcome.
    output = [_figures_text(rule)] if rule.outcome is Outcome.REPORTED else []
    output.extend(f"- {note.text}" for note in rule.notes)
    if output:
        ET.SubElement(case, "system-out").text = _text("\n".join(output))


def _findings_text(rule: RuleResult) -> str:
    lines = []
    for finding in rule.findings:
        if finding.waived_by is not None:
            continue
        where = ""
        if finding.location:
            line = f":{finding.location.line}" if finding.location.line else ""
            where = f" [{finding.location.path}{line}]"
        lines.append(f"- {finding.message}{where}")
    if rule.remediation:
        lines.append(f"Remediation: {rule.remediation}")
    return "\n".join(lines)


def _figures_text(rule: RuleResult) -> str:
    """A reported rule's evidence tables as text: what it reports, since it has no verdict."""
    lines = ["Reported, not judged: the rule has no threshold."]
    for table in rule.evidence.tables() if rule.evidence else ():
        lines += ["", table.title, "\t".join(table.columns)]
        lines += ["\t".join(cell_text(cell) for cell in row) for row in table.rows]
    return "\n".join(lines)


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _timestamp(result: AuditResult) -> str:
    return result.audit.created_at.strftime("%Y-%m-%dT%H:%M:%S")
