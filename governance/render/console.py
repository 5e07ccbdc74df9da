"""The console summary: verdict, one line per rule, the findings that matter, the groups a
rule's verdict leaves out (the report files hold every note), the waivers."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from governance.engine.result import (
    AuditResult,
    Outcome,
    RuleResult,
    Verdict,
    WaiverStatus,
    rules_by_importance,
)
from governance.render.ll144_summary import ll144_summary
from governance.render.provenance_text import baseline_sentence
from governance.text_escaping import escape_controls
from governance.vocabulary.notes import NoteKind

_STYLES = {
    Outcome.PASSED: "green",
    Outcome.REPORTED: "cyan",
    Outcome.FAILED: "bold red",
    Outcome.WAIVED: "yellow",
    Outcome.SKIPPED: "dim",
    Outcome.ERRORED: "bold magenta",
}
_LEFT_OUT = {
    NoteKind.NOT_COMPARED: "not every group is compared",
    NoteKind.SAMPLED: "judged on a sample",
}
_VERDICT_STYLES = {Verdict.REPORTED: "bold cyan", Verdict.SKIPPED: "bold yellow"}
_MAX_FINDINGS_SHOWN = 8


def console_summary(result: AuditResult) -> RenderableType:
    """A rich renderable; the CLI prints it with colour on a terminal, plain elsewhere."""
    rules = rules_by_importance(result.rules)
    table = Table(title=f"Audit {escape(result.audit.name)}", title_justify="left", expand=False)
    table.add_column("outcome", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=3)
    table.add_column("details", overflow="fold", ratio=1)
    for rule in rules:
        details = rule_details(rule)
        table.add_row(
            Text(rule.outcome.value, style=_STYLES[rule.outcome]),
            Text(rule.id),
            Text(rule.severity.value),
            Text(rule.title),
            Text(details),
        )
    parts: list[RenderableType] = [table]
    for rule in rules:
        open_findings = [f for f in rule.findings if f.waived_by is None]
        if rule.outcome is not Outcome.FAILED or not open_findings:
            continue
        lines = Text(f"{rule.id} ({rule.severity.value}): {rule.title}\n", style="bold")
        for finding in open_findings[:_MAX_FINDINGS_SHOWN]:
            where = ""
            if finding.location:
                line = f":{finding.location.line}" if finding.location.line else ""
                where = f"  [{finding.location.path}{line}]"
            known = "" if result.is_new(finding) else "  (in the baseline)"
            lines.append(f"  • {finding.message}{where}{known}\n")
        if len(open_findings) > _MAX_FINDINGS_SHOWN:
            lines.append(f"  … and {len(open_findings) - _MAX_FINDINGS_SHOWN} more in the report\n")
        parts.append(lines)
    # What a verdict leaves out (groups, unscanned values); the other notes are in the files.
    for rule in rules:
        for kind, heading in _LEFT_OUT.items():
            texts = [n.text for n in rule.notes if n.kind is kind]
            if texts:
                notes = Text(f"{rule.id}: {heading}\n")
                for note in texts:
                    notes.append(f"  - {note}\n")
                parts.append(notes)
    for waiver in result.waivers:
        if waiver.status is WaiverStatus.EXPIRED:
            parts.append(
                Text(
                    f"Waiver for {waiver.rule} expired on {waiver.expires.isoformat()} and was not "
                    f"applied ({waiver.findings} finding{'s' * (waiver.findings != 1)}).",
                    style="yellow",
                )
            )
        elif waiver.status is WaiverStatus.UNUSED:
            parts.append(
                Text(f"Waiver for {waiver.rule} matched no finding (unused).", style="yellow")
            )
    if result.frameworks:
        parts.append(_coverage_lines(result))
    parts.append(_verdict_line(result))
    return Group(*parts)


def _coverage_lines(result: AuditResult) -> Text:
    """One line per framework the rules cite (or `--framework` names): how many of its items
    a rule tests, how many of those fail; the report files list the items."""
    lines = Text("Framework coverage (items a rule tests, not compliance):\n")
    for framework in result.frameworks:
        lines.append(f"  {escape_controls(framework.summary())}\n")
    to_add = [element.short for element in ll144_summary(result) if element.to_add]
    if to_add:
        lines.append(
            "NYC LL144: the published summary also needs what this audit cannot know, for the "
            f"employer or the auditor to add (see the report): {'; '.join(to_add)}.\n"
        )
    return lines


def rule_details(rule: RuleResult) -> str:
    """The details column: why a rule was skipped or errored, that a reported rule has no
    threshold, or how many findings it has."""
    if rule.reason:
        return rule.reason
    if rule.outcome is Outcome.REPORTED:
        return "figures only, no threshold"
    return f"{len(rule.findings)} finding{'s' * (len(rule.findings) != 1)}"


def _verdict_line(result: AuditResult) -> Text:
    counts = ", ".join(f"{count} {outcome}" for outcome, count in result.counts.items() if count)
    blocking = len(result.gate_failures())
    verdict = result.verdict.value.replace("_", " ").upper()
    style = "bold red" if blocking else _VERDICT_STYLES.get(result.verdict, "bold green")
    text = Text(f"\n{verdict}", style=style)
    text.append(f" — {counts}")
    if result.verdict is Verdict.SKIPPED:
        text.append("; nothing was checked")
    text.append(f"; the gate fails {result.audit.fail_on.describe()}")
    if blocking:
        rules = "1 rule blocks" if blocking == 1 else f"{blocking} rules block"
        text.append(f"; {rules} the gate")
    if result.baseline is not None:
        text.append(f"\n{baseline_sentence(result.baseline)}", style="")
    return text


def render_console(result: AuditResult, width: int = 110) -> str:
    """The same summary as plain text."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(
        console_summary(result)
    )
    return buffer.getvalue()
