"""What the HTML and PDF reports show, worked out from an `AuditResult` once, so the template
only lays it out: rules in reading order, the coverage matrix, waivers by status, evidence."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from governance.engine.result import (
    OUTCOME_ORDER,
    AuditResult,
    FrameworkCoverage,
    Outcome,
    RuleResult,
    WaiverRecord,
    WaiverStatus,
    rules_by_importance,
)
from governance.render.charts import chart_description
from governance.render.control_names import clause_name, regulation_name
from governance.render.line_breaks import name_parts
from governance.render.ll144_summary import SummaryElement, ll144_summary
from governance.render.number_formats import column_texts
from governance.render.provenance_text import baseline_sentence, source_sentence
from governance.render.reproduce_command import reproduce_command
from governance.severity import Severity
from governance.vocabulary.evidence_table import EvidenceChart, EvidenceTable

_LINE_CHARACTERS = 84
"""About how many characters (digits, bold headers) of 8pt type fit across the text width."""
_TEXT_CHARACTERS = 100
"""About how many characters of 8pt text of mixed letters and digits fit across it: the room
the widths share out once every column has its longest part."""
_MAX_WORD = 24
_FONT = 8.0
_SMALLEST_FONT = 6.0
_SHORT_WORD = 12
"""Words up to this long (numbers, dates, statuses) always fit their column."""
_LANDSCAPE_BELOW = 7.0
"""A table that would need smaller type than this on a portrait page is set landscape."""
_LANDSCAPE_WIDER = 1.5
MAX_REPORT_TABLE_ROWS = 200
"""Rows of one evidence table shown in the HTML and PDF reports; audit.json keeps them all."""

VERDICT_TEXT = {
    "passed": "Passed",
    "passed_with_waivers": "Passed with waivers",
    "reported": "Reported, not judged",
    "skipped": "Skipped, nothing checked",
    "failed": "Failed",
}


ChartSource = Callable[[EvidenceChart], str]
"""Where a report's `<img>` finds a chart: a `data:` URI in the HTML report, a name the PDF
renderer serves in the PDF."""


@dataclass(frozen=True)
class ChartView:
    chart: EvidenceChart
    source: str
    description: str


@dataclass(frozen=True)
class TableView:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    """Per column: right-aligned because every value in it is a number."""
    widths: tuple[int, ...]
    """Per column: its share of the table's width in percent, from the length of its text."""
    font_size: float
    """In points: 8, or less for a table with many columns."""
    landscape: bool
    """Set on a landscape page of its own, being too wide for a portrait one."""
    omitted: int = 0
    """Rows left out past `MAX_REPORT_TABLE_ROWS` (every one is in audit.json)."""


@dataclass(frozen=True)
class RuleSection:
    rule: RuleResult
    blocks_gate: bool
    tables: tuple[TableView, ...]
    charts: tuple[ChartView, ...]
    waivers: tuple[WaiverRecord, ...]
    """Waivers applied to this rule's findings."""


@dataclass(frozen=True)
class ControlRow:
    regulation: str
    clause: str
    control: str
    rules: tuple[RuleResult, ...]
    status: Outcome
    """The worst outcome among its rules (errored, failed, waived, skipped, reported, passed):
    a control whose rules include one without a threshold is *reported*, never *passed*."""


@dataclass(frozen=True)
class UncoveredItem:
    clause: str
    control: str
    title: str


@dataclass(frozen=True)
class FrameworkView:
    """A framework's coverage as the matrix shows it: its figure in the group's header, and
    the leaf items no rule covers after the group's rows."""

    regulation: str
    """The matrix group it belongs to (`regulation_name` of its controls)."""
    summary: str
    uncovered: tuple[UncoveredItem, ...]


@dataclass(frozen=True)
class ReportOutline:
    result: AuditResult
    verdict: str
    sections: tuple[RuleSection, ...]
    gate_failures: tuple[RuleResult, ...]
    severity_counts: tuple[tuple[Severity, tuple[int, ...]], ...]
    """Per severity (highest first): the number of rules per outcome, in `OUTCOME_ORDER`."""
    coverage: tuple[ControlRow, ...]
    frameworks: tuple[FrameworkView, ...]
    """Coverage per framework, by the matrix group it completes."""
    uncontrolled: tuple[RuleResult, ...]
    """Rules that cite no control."""
    waivers: tuple[tuple[WaiverStatus, tuple[WaiverRecord, ...]], ...]
    not_run: tuple[RuleResult, ...]
    """Skipped and errored rules."""
    reproduce: str
    """The shell command that re-runs the audit with the same options."""
    source: str | None = None
    """The git commit the audited files came from (or why none is recorded)."""
    baseline: str | None = None
    """The baseline the gate compared against, when one was given."""
    outcomes: tuple[Outcome, ...] = OUTCOME_ORDER
    ll144: tuple[SummaryElement, ...] = ()
    """The NYC LL144 published summary, element by element, when a rule cites LL144."""

    @property
    def framework_views(self) -> dict[str, FrameworkView]:
        return {view.regulation: view for view in self.frameworks}

    @property
    def uncited_frameworks(self) -> tuple[FrameworkView, ...]:
        """Frameworks named with `--framework` that no rule cites: groups with no rows."""
        cited = {row.regulation for row in self.coverage}
        return tuple(view for view in self.frameworks if view.regulation not in cited)


def report_outline(result: AuditResult, chart_source: ChartSource) -> ReportOutline:
    rules = rules_in_report_order(result)
    blocking = {rule.id for rule in result.gate_failures()}
    return ReportOutline(
        result=result,
        verdict=VERDICT_TEXT[result.verdict.value],
        sections=tuple(_section(rule, result, chart_source) for rule in rules),
        gate_failures=tuple(r for r in rules if r.id in blocking),
        severity_counts=_severity_counts(result),
        coverage=coverage_matrix(result),
        frameworks=tuple(_framework_view(framework) for framework in result.frameworks),
        uncontrolled=tuple(r for r in rules if not r.controls),
        waivers=tuple(
            (status, grouped)
            for status in WaiverStatus
            if (grouped := tuple(w for w in result.waivers if w.status is status))
        ),
        not_run=tuple(r for r in rules if r.outcome in (Outcome.ERRORED, Outcome.SKIPPED)),
        reproduce=reproduce_command(result),
        source=source_sentence(result.source_control) if result.source_control else None,
        baseline=baseline_sentence(result.baseline) if result.baseline else None,
        ll144=ll144_summary(result),
    )


def rules_in_report_order(result: AuditResult) -> tuple[RuleResult, ...]:
    """Errored and failed first, then waived, skipped, reported, passed; most severe first
    within each."""
    return tuple(rules_by_importance(result.rules))


def coverage_matrix(result: AuditResult) -> tuple[ControlRow, ...]:
    """Every control the policies cite, with the rules that test it, by regulation."""
    rules = rules_in_report_order(result)
    controls = sorted({c for r in rules for c in r.controls}, key=_control_order)
    return tuple(
        ControlRow(
            regulation=regulation_name(control),
            clause=clause_name(control),
            control=control,
            rules=(covering := tuple(r for r in rules if control in r.controls)),
            status=covering[0].outcome,
        )
        for control in controls
    )


def _framework_view(framework: FrameworkCoverage) -> FrameworkView:
    return FrameworkView(
        regulation=regulation_name(f"{framework.framework}:"),
        summary=framework.summary(),
        uncovered=tuple(
            UncoveredItem(clause_name(item.control), item.control, item.title)
            for item in framework.uncovered
        ),
    )


def _control_order(control: str) -> tuple[str, int, tuple[tuple[int, str], ...]]:
    # Articles before annexes, as a regulation is printed; natural order, so Art. 9 comes
    # before Art. 10.
    clause = control.split(":", 1)[-1]
    rank = 1 if clause.lower().startswith("annex") else 0
    parts = tuple((int(p), "") if p.isdigit() else (0, p) for p in _split_digits(clause))
    return regulation_name(control), rank, parts


def _split_digits(text: str) -> list[str]:
    parts: list[str] = []
    for char in text:
        if parts and parts[-1][-1].isdigit() == char.isdigit():
            parts[-1] += char
        else:
            parts.append(char)
    return parts


def _severity_counts(result: AuditResult) -> tuple[tuple[Severity, tuple[int, ...]], ...]:
    return tuple(
        (
            severity,
            tuple(
                sum(r.severity is severity and r.outcome is o for r in result.rules)
                for o in OUTCOME_ORDER
            ),
        )
        for severity in reversed(Severity)
        if any(r.severity is severity for r in result.rules)
    )


def _section(rule: RuleResult, result: AuditResult, chart_source: ChartSource) -> RuleSection:
    evidence = rule.evidence
    waiver_indexes = sorted({f.waived_by for f in rule.findings if f.waived_by is not None})
    return RuleSection(
        rule=rule,
        blocks_gate=rule.blocks_gate(result.audit.fail_on),
        tables=tuple(_table(t) for t in evidence.tables()) if evidence else (),
        charts=tuple(
            ChartView(chart=c, source=chart_source(c), description=chart_description(c))
            for c in (evidence.charts() if evidence else ())
            if c.bars
        ),
        waivers=tuple(result.waivers[i] for i in waiver_indexes if i < len(result.waivers)),
    )


def _table(table: EvidenceTable) -> TableView:
    """The table as the report shows it: its first `MAX_REPORT_TABLE_ROWS` rows (a table of
    every column of a 5,000-column file would be hundreds of pages, and laying it out took
    minutes and gigabytes), with the number left out."""
    shown = table.rows[:MAX_REPORT_TABLE_ROWS]
    numeric = tuple(
        bool(shown)
        and all(isinstance(row[i], int | float) or row[i] is None for row in shown)
        and any(row[i] is not None for row in shown)
        for i in range(len(table.columns))
    )
    texts = [column_texts(c, [row[i] for row in shown]) for i, c in enumerate(table.columns)]
    rows = tuple(zip(*texts, strict=True)) if shown else ()
    layout = table_layout(table.columns, rows)
    return TableView(
        title=table.title,
        columns=table.columns,
        rows=rows,
        numeric=numeric,
        widths=layout.widths,
        font_size=layout.font_size,
        landscape=layout.landscape,
        omitted=len(table.rows) - len(shown),
    )


@dataclass(frozen=True)
class TableLayout:
    widths: tuple[int, ...]
    font_size: float
    landscape: bool


def table_layout(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> TableLayout:
    """Column widths (percent), font size (points) and orientation for an evidence table.

    Every column first gets room for its longest unbreakable part (a number, a status, a name
    of an identifier: `line_breaks` says where identifiers may break), up to `_MAX_WORD`
    characters; the rest of the line goes, a few characters at a time, to the column where
    they save the most lines over the whole table, so a column of long reasons gets the room a
    column of short intervals does not need. A table too wide for a portrait page at 7pt
    (fairness tables have many columns) goes on a landscape page, in type down to 6pt, rather
    than splitting numbers.
    """
    # Headers are bold, so their letters count a fifth wider.
    headers = [[_width(p) * 1.2 for w in c.split() for p in name_parts(w)] for c in columns]
    cells = [
        [_width(p) for r in rows for w in r[i].split() for p in name_parts(w)]
        for i in range(len(columns))
    ]
    needs = [
        min(max(*header, *parts, 1), _MAX_WORD) + 2
        for header, parts in zip(headers, cells, strict=True)
    ]
    essential = [min(need, _SHORT_WORD + 2) for need in needs]
    landscape = _FONT * _LINE_CHARACTERS / sum(essential) < _LANDSCAPE_BELOW
    line = _LINE_CHARACTERS * (_LANDSCAPE_WIDER if landscape else 1.0)
    font = max(_SMALLEST_FONT, min(_FONT, _FONT * line / sum(essential)))
    capacity = line * _FONT / font * _TEXT_CHARACTERS / _LINE_CHARACTERS
    if sum(needs) >= capacity:  # not every longest part fits: shrink them alike
        room = [float(n) for n in needs]
    else:
        lengths = [
            [_width(columns[i]) * 1.2, *(_width(row[i]) for row in rows)]
            for i in range(len(columns))
        ]
        room = _widths_saving_lines(lengths, [float(n) for n in needs], capacity)
    widths = [int(100 * r / sum(room)) for r in room]
    widths[max(range(len(widths)), key=lambda i: room[i])] += 100 - sum(widths)
    return TableLayout(widths=tuple(widths), font_size=round(font, 1), landscape=landscape)


def _width(text: str) -> float:
    """The text's width in average characters: capitals (EMAIL_ADDRESS) are about a third
    wider than the average letter of DejaVu Sans."""
    return len(text) + 0.35 * sum(char.isupper() for char in text)


def _lines(length: float, width: float) -> int:
    return max(1, math.ceil(length / max(width - 2, 1.0)))


def _widths_saving_lines(
    lengths: list[list[float]], widths: list[float], capacity: float
) -> list[float]:
    """`widths` grown to `capacity`, greedily: each step widens the column by as much as makes
    one of its cells a line shorter, choosing the column that saves the most lines per
    character; what is left when no step fits is shared out in proportion."""
    columns, rows = range(len(widths)), range(len(lengths[0]))
    lines = [[_lines(length, widths[c]) for length in lengths[c]] for c in columns]
    while (spare := capacity - sum(widths)) > 0.5:
        # Per row: its height, the column setting it, and the height without that column.
        tallest = [max(columns, key=[lines[c][r] for c in columns].__getitem__) for r in rows]
        heights = [lines[tallest[r]][r] for r in rows]
        others = [max((lines[c][r] for c in columns if c != tallest[r]), default=1) for r in rows]
        best: tuple[float, int, float, list[int]] | None = None
        for c in columns:
            step = _next_step(lengths[c], widths[c])
            if step is None or step > spare:
                continue
            wider = [_lines(length, widths[c] + step) for length in lengths[c]]
            # Table height saved, and (a quarter as much) lines of the column's own cells:
            # rows whose height two columns set together still reward widening either.
            height_saved = sum(
                heights[r] - max(others[r], wider[r]) for r in rows if tallest[r] == c
            )
            saved = height_saved + 0.25 * (sum(lines[c]) - sum(wider))
            if saved > 0 and (best is None or saved / step > best[0]):
                best = (saved / step, c, step, wider)
        if best is None:
            break
        _, chosen, step, wider = best
        widths[chosen] += step
        lines[chosen] = wider
    spare = capacity - sum(widths)
    total = sum(widths)
    return [w + spare * w / total for w in widths] if spare > 0 else widths


def _next_step(lengths: list[float], width: float) -> float | None:
    """How many characters wider the column must get for one of its cells to lose a line."""
    steps = [
        math.ceil(length / (lines - 1)) + 2 - width
        for length in lengths
        if (lines := _lines(length, width)) > 1
    ]
    return min(steps, default=None)


def column_widths(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> tuple[int, ...]:
    return table_layout(columns, rows).widths
