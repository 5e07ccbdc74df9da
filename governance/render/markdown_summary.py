"""`summary.md`: a short report for a pull-request comment or `$GITHUB_STEP_SUMMARY`."""

from __future__ import annotations

from dataclasses import dataclass

from governance.engine.result import AuditResult, Outcome, RuleResult, rules_by_importance
from governance.render.cells import cell_text
from governance.render.report_outline import MAX_REPORT_TABLE_ROWS
from governance.render.templating import template_environment
from governance.vocabulary.notes import NoteKind

MAX_EVIDENCE_ROWS = 20
"""A summary stays short: longer evidence tables are cut, and the full ones are in the report."""


@dataclass(frozen=True)
class MarkdownTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    omitted: int
    all_in_report: bool
    """Whether the full report shows every row (else only audit.json has them all)."""


def render_markdown(result: AuditResult) -> str:
    rules = rules_by_importance(result.rules)
    evidence = {r.id: evidence_tables(r) for r in rules if r.outcome is Outcome.FAILED}
    # Groups a verdict leaves out are shown wherever it is read; every note is in the report.
    not_compared = tuple(
        (rule.id, note.text)
        for rule in rules
        for note in rule.notes
        if note.kind is NoteKind.NOT_COMPARED
    )
    template = template_environment().get_template("summary.md.j2")
    return template.render(
        result=result,
        rules=rules,
        evidence=evidence,
        not_compared=not_compared,
        Outcome=Outcome,
    )


def evidence_tables(rule: RuleResult) -> tuple[MarkdownTable, ...]:
    """The rule's evidence tables, as text, cut to `MAX_EVIDENCE_ROWS` rows each."""
    if rule.evidence is None:
        return ()
    return tuple(
        MarkdownTable(
            title=table.title,
            columns=table.columns,
            rows=tuple(
                tuple(cell_text(cell) for cell in row) for row in table.rows[:MAX_EVIDENCE_ROWS]
            ),
            omitted=max(len(table.rows) - MAX_EVIDENCE_ROWS, 0),
            all_in_report=len(table.rows) <= MAX_REPORT_TABLE_ROWS,
        )
        for table in rule.evidence.tables()
    )
