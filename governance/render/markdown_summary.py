"""`summary.md`: a short report for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

What needs attention comes first: the errored and failed rules with their findings, then the
waived and skipped ones with why; the passed and reported rules follow in one collapsed list.
Evidence tables are left to the full report and audit.json, so the comment stays a few KB."""

from __future__ import annotations

from dataclasses import dataclass

from governance.engine.result import AuditResult, Outcome, RuleResult, rules_by_importance
from governance.render.ll144_summary import ll144_summary
from governance.render.provenance_text import baseline_sentence, source_sentence
from governance.render.templating import template_environment
from governance.vocabulary.findings import Finding
from governance.vocabulary.notes import NoteKind

FINDINGS_SHOWN = (5, 3, 1)
"""Findings listed per rule, fewer in turn while the comment is over `SIZE_BUDGET`; the rest
are counted, and every one is in the full report."""
SIZE_BUDGET = 4096
"""Bytes a pull-request comment should stay under (4 KiB)."""

_ATTENTION = (Outcome.ERRORED, Outcome.FAILED)
_SET_ASIDE = (Outcome.WAIVED, Outcome.SKIPPED)
_SETTLED = (Outcome.REPORTED, Outcome.PASSED)


@dataclass(frozen=True)
class RuleEntry:
    rule: RuleResult
    blocks_gate: bool
    findings: tuple[Finding, ...]
    """The findings shown: open ones first, at most one of `FINDINGS_SHOWN`."""
    more: int
    """Findings not shown."""


def render_markdown(result: AuditResult) -> str:
    rules = rules_by_importance(result.rules)
    # Groups a verdict leaves out are shown wherever it is read; a reported rule gives no
    # verdict, so the comment only says it left groups out (they are all in the report).
    not_compared = tuple(
        (rule.id, note.text)
        for rule in rules
        if rule.outcome is not Outcome.REPORTED
        for note in rule.notes
        if note.kind is NoteKind.NOT_COMPARED
    )
    # A pass on a sample says so, waived or not (a failed rule's findings speak for it).
    sampled = tuple(
        (rule.id, note.text)
        for rule in rules
        if rule.outcome in (Outcome.PASSED, Outcome.WAIVED)
        for note in rule.notes
        if note.kind is NoteKind.SAMPLED
    )
    left_out = frozenset(
        rule.id
        for rule in rules
        if rule.outcome is Outcome.REPORTED
        and any(note.kind is NoteKind.NOT_COMPARED for note in rule.notes)
    )
    template = template_environment().get_template("summary.md.j2")
    coverage = tuple(framework.summary() for framework in result.frameworks)
    # Over budget even with the fewest findings, the reported rules lose their titles, then the
    # LL144 line goes, then the coverage lines.
    fewest = FINDINGS_SHOWN[-1]
    # What an LL144 summary still needs is in the full report too: it goes before the coverage.
    to_add = tuple(e.short for e in ll144_summary(result) if e.to_add)
    attempts = [
        *((n, coverage, True, to_add) for n in FINDINGS_SHOWN),
        (fewest, coverage, False, to_add),
        (fewest, coverage, False, ()),
        (fewest, (), False, ()),
    ]
    for shown, frameworks, reported_titles, ll144_to_add in attempts:
        text = template.render(
            result=result,
            frameworks=frameworks,
            reported_titles=reported_titles,
            attention=_entries(result, rules, _ATTENTION, shown),
            set_aside=_entries(result, rules, _SET_ASIDE, shown),
            settled=tuple(
                (outcome, group)
                for outcome in _SETTLED
                if (group := tuple(r for r in rules if r.outcome is outcome))
            ),
            not_compared=not_compared,
            sampled=sampled,
            left_out=left_out,
            counts=tuple((o.value, n) for o in Outcome if (n := result.counts[o.value])),
            baseline=baseline_sentence(result.baseline) if result.baseline else None,
            ll144_to_add=ll144_to_add,
            # Without the remote: the comment lives beside the repository it names.
            source=(
                source_sentence(result.source_control, brief=True)
                if result.source_control
                else None
            ),
        )
        if len(text.encode("utf-8")) < SIZE_BUDGET:
            break
    return text


def _entries(
    result: AuditResult, rules: tuple[RuleResult, ...], outcomes: tuple[Outcome, ...], shown: int
) -> tuple[RuleEntry, ...]:
    blocking = {rule.id for rule in result.gate_failures()}
    return tuple(
        RuleEntry(
            rule=rule,
            blocks_gate=rule.id in blocking,
            findings=_open_first(rule.findings)[:shown],
            more=max(len(rule.findings) - shown, 0),
        )
        for rule in rules
        if rule.outcome in outcomes
    )


def _open_first(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda finding: finding.waived_by is not None))
