"""Comparing two audits: which findings are new, fixed or unchanged (matched by fingerprint),
which rules changed outcome, and which figures of their evidence moved.

Figures are the numbers of the evidence tables every format shows (a group's rate, impact ratio,
a column's hit rate), matched by rule, table, row and column: a table by its place among the
rule's tables and its title up to the parenthesis (the rest states figures, which move), a row
by its first cell (the group, column, section or metric it is about).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from governance.engine.result import AuditResult, Outcome, RuleResult
from governance.severity import Severity
from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.findings import Finding
from governance.vocabulary.output_text import Identifier, Prose, QuotingText


class _Value(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)


class FindingStatus(StrEnum):
    NEW = "new"
    FIXED = "fixed"
    UNCHANGED = "unchanged"


class ComparedFinding(_Value):
    status: FindingStatus
    rule: str
    severity: Severity
    fingerprint: str
    message: QuotingText
    """As the newer audit words it (the older one for a fixed finding)."""
    waived: bool
    """Covered by a waiver in the audit the message comes from."""


class OutcomeChange(_Value):
    rule: str
    title: Prose
    old: Outcome | None
    """None when the rule was not in the older audit."""
    new: Outcome | None
    """None when the rule is no longer in the newer audit."""


class FigureChange(_Value):
    rule: str
    table: Prose
    row: Identifier
    column: str
    old: float
    new: float


class AuditSide(_Value):
    name: Identifier
    created_at: dt.datetime
    verdict: str
    commit: str | None = None


class AuditComparison(_Value):
    old: AuditSide
    new: AuditSide
    findings: tuple[ComparedFinding, ...]
    """New first, then fixed, then unchanged; each in its audit's order of rules and findings
    (the older one's for fixed findings)."""
    outcomes: tuple[OutcomeChange, ...]
    figures: tuple[FigureChange, ...]

    def with_status(self, status: FindingStatus) -> tuple[ComparedFinding, ...]:
        return tuple(f for f in self.findings if f.status is status)


def compare_audits(old: AuditResult, new: AuditResult) -> AuditComparison:
    before = dict(_findings(old))
    after = dict(_findings(new))
    findings = (
        *(_compared(FindingStatus.NEW, *after[f]) for f in after if f not in before),
        *(_compared(FindingStatus.FIXED, *before[f]) for f in before if f not in after),
        *(_compared(FindingStatus.UNCHANGED, *after[f]) for f in after if f in before),
    )
    return AuditComparison(
        old=_side(old),
        new=_side(new),
        findings=findings,
        outcomes=_outcome_changes(old, new),
        figures=tuple(_figure_changes(old, new)),
    )


def _side(result: AuditResult) -> AuditSide:
    source = result.source_control
    return AuditSide(
        name=result.audit.name,
        created_at=result.audit.created_at,
        verdict=result.verdict.value,
        commit=source.commit if source is not None else None,
    )


def _findings(result: AuditResult) -> Iterator[tuple[str, tuple[RuleResult, Finding]]]:
    for rule in result.rules:
        for finding in rule.findings:
            if finding.fingerprint is not None:
                yield finding.fingerprint, (rule, finding)


def _compared(status: FindingStatus, rule: RuleResult, finding: Finding) -> ComparedFinding:
    return ComparedFinding(
        status=status,
        rule=rule.id,
        severity=rule.severity,
        fingerprint=finding.fingerprint or "",
        message=finding.message,
        waived=finding.waived_by is not None,
    )


def _outcome_changes(old: AuditResult, new: AuditResult) -> tuple[OutcomeChange, ...]:
    before = {rule.id: rule for rule in old.rules}
    after = {rule.id: rule for rule in new.rules}
    changes = [
        OutcomeChange(
            rule=rule.id,
            title=rule.title,
            old=before[rule.id].outcome if rule.id in before else None,
            new=rule.outcome,
        )
        for rule in new.rules
        if rule.id not in before or before[rule.id].outcome is not rule.outcome
    ]
    changes += [
        OutcomeChange(rule=rule.id, title=rule.title, old=rule.outcome, new=None)
        for rule in old.rules
        if rule.id not in after
    ]
    return tuple(changes)


_NOT_FIGURES = frozenset({"line"})
"""Numeric columns that locate rather than measure (a heading's line moves with every edit)."""

Figures = dict[tuple[int, str, str, str], tuple[str, float]]


def _figure_changes(old: AuditResult, new: AuditResult) -> Iterator[FigureChange]:
    before = {rule.id: _figures(rule) for rule in old.rules}
    for rule in new.rules:
        if rule.id not in before:
            continue
        earlier = before[rule.id]
        for key, (title, value) in _figures(rule).items():
            if key in earlier and earlier[key][1] != value:
                _, _, row, column = key
                yield FigureChange(
                    rule=rule.id,
                    table=title,
                    row=row,
                    column=column,
                    old=earlier[key][1],
                    new=value,
                )


def _figures(rule: RuleResult) -> Figures:
    """Every number of the rule's evidence tables, by (table place, title stem, row, column)."""
    if rule.evidence is None:
        return {}
    figures: Figures = {}
    for place, table in enumerate(rule.evidence.tables()):
        stem = table.title.split(" (", 1)[0]
        for row in table.rows:
            if not row:
                continue
            label = str(row[0])
            for column, cell in zip(table.columns[1:], row[1:], strict=False):
                if column not in _NOT_FIGURES and isinstance(cell, int | float):
                    figures[(place, stem, label, column)] = (stem, float(cell))
    return figures
