"""What changed between two audits (`governance diff`), for a terminal, as Markdown, or as
JSON; pure functions of the comparison."""

from __future__ import annotations

from collections.abc import Iterator

from governance.engine.comparison import AuditComparison, AuditSide, FindingStatus

FIGURES_SHOWN = 20
"""Changed figures listed in text and Markdown; the JSON has every one."""


def render_diff_json(comparison: AuditComparison) -> str:
    return comparison.model_dump_json(indent=2) + "\n"


def render_diff_text(comparison: AuditComparison) -> str:
    lines = [f"diff {_side(comparison.old)} -> {_side(comparison.new)}", _counts(comparison)]
    for status in FindingStatus:
        listed = comparison.with_status(status)
        if status is FindingStatus.UNCHANGED or not listed:
            continue
        lines.append(f"{status.value} findings:")
        lines += [
            f"  {f.rule} ({f.severity.value}){' [waived]' * f.waived}: {_one_line(f.message)}"
            for f in listed
        ]
    if comparison.outcomes:
        lines.append("rule outcomes:")
        lines += [
            f"  {c.rule}: {c.old or 'absent'} -> {c.new or 'absent'}" for c in comparison.outcomes
        ]
    if comparison.figures:
        lines.append("changed figures:")
        lines += [f"  {line}" for line in _figure_lines(comparison)]
    return "\n".join(lines) + "\n"


def render_diff_markdown(comparison: AuditComparison) -> str:
    lines = [
        f"### Audit diff: {_side(comparison.old)} → {_side(comparison.new)}",
        "",
        _counts(comparison),
    ]
    for status in FindingStatus:
        listed = comparison.with_status(status)
        if status is FindingStatus.UNCHANGED or not listed:
            continue
        lines += ["", f"**{status.value.capitalize()} findings**", ""]
        lines += [
            f"- `{f.rule}` ({f.severity.value}){' *waived*' * f.waived}: {_md(f.message)}"
            for f in listed
        ]
    if comparison.outcomes:
        lines += ["", "**Rule outcomes**", "", "| rule | before | after |", "|---|---|---|"]
        lines += [
            f"| `{c.rule}` | {c.old or 'absent'} | {c.new or 'absent'} |"
            for c in comparison.outcomes
        ]
    if comparison.figures:
        lines += ["", "**Changed figures**", ""]
        lines += [f"- {_md(line)}" for line in _figure_lines(comparison, arrow="→")]
    return "\n".join(lines) + "\n"


def _side(side: AuditSide) -> str:
    commit = f" @ {side.commit[:12]}" if side.commit else ""
    return f"{side.name} ({side.created_at:%Y-%m-%d %H:%M}Z{commit}, {side.verdict})"


def _counts(comparison: AuditComparison) -> str:
    new, fixed, same = (len(comparison.with_status(s)) for s in FindingStatus)
    return (
        f"{new} new, {fixed} fixed, {same} unchanged finding{'s' * (same != 1)}; "
        f"{len(comparison.outcomes)} rule outcome{'s' * (len(comparison.outcomes) != 1)} "
        f"changed; {len(comparison.figures)} figure{'s' * (len(comparison.figures) != 1)} moved"
    )


def _figure_lines(comparison: AuditComparison, arrow: str = "->") -> Iterator[str]:
    for change in comparison.figures[:FIGURES_SHOWN]:
        yield (
            f"{change.rule} · {change.table} · {change.row}: {change.column} "
            f"{change.old:.4g} {arrow} {change.new:.4g}"
        )
    if len(comparison.figures) > FIGURES_SHOWN:
        yield f"… and {len(comparison.figures) - FIGURES_SHOWN} more (--format json lists all)"


def _md(text: str) -> str:
    """Text as Markdown shows it literally: no markup, one line."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return _one_line(text)


def _one_line(text: str) -> str:
    """A finding's message on its line: one recorded with a line break (an audit.json edited
    by hand) cannot start a line that reads as another finding or section."""
    return text.replace("\n", " ")
