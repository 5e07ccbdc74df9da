"""Coverage per framework: for each framework the rules cite (or the user names), every item of
its catalog with the rules that cite it and their outcomes, and a figure counted in leaf items.

A rule that cites a parent item (`eu-ai-act:art10(2)`) is listed on that item but covers none of
its sub-items: citing a whole paragraph does not show that each of its points is addressed. A
parent is covered when all its sub-items are. A rule the audit skipped, or that errored, tested
nothing: it is listed on its items and covers none of them. Items a policy's
`covered_by_report` names (what the audit report itself answers, such as Annex IV 2(g), dated
and signed test results) are covered when the report is signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from governance.catalogs.items import Catalog, Framework
from governance.config.suggestions import did_you_mean
from governance.engine.result import (
    OUTCOME_ORDER,
    CoverageRule,
    FrameworkCoverage,
    ItemCoverage,
    Outcome,
    RuleResult,
)
from governance.errors import UsageError

_FAILING = frozenset({Outcome.FAILED, Outcome.ERRORED})


@dataclass(frozen=True)
class Citation:
    """A rule as coverage sees it: its id, the controls it cites, and its outcome (None when
    no audit ran)."""

    rule: str
    controls: tuple[str, ...]
    outcome: Outcome | None = None


def audit_citations(results: Iterable[RuleResult]) -> tuple[Citation, ...]:
    return tuple(Citation(r.id, tuple(r.controls), r.outcome) for r in results)


def check_framework_names(catalog: Catalog, names: Iterable[str]) -> None:
    """A framework named on the command line must have a catalog."""
    for name in names:
        if name not in catalog.frameworks:
            known = ", ".join(sorted(catalog.frameworks))
            raise UsageError(
                f"--framework {name}: no catalog for this framework"
                f"{did_you_mean(name, catalog.frameworks)} (known: {known})"
            )


def framework_coverage(
    catalog: Catalog,
    citations: Sequence[Citation],
    *,
    named: Iterable[str] = (),
    by_report: Iterable[str] = (),
    report_signed: bool,
) -> tuple[FrameworkCoverage, ...]:
    """The coverage of every framework `citations` cite or `named` names, in catalog order."""
    wanted = set(named) | {
        framework.name
        for citation in citations
        for control in citation.controls
        if (framework := catalog.framework_of(control)) is not None
    }
    answered = frozenset(by_report) if report_signed else frozenset()
    return tuple(
        _coverage(framework, citations, answered)
        for name, framework in catalog.frameworks.items()
        if name in wanted
    )


_TESTED_NOTHING = frozenset({Outcome.SKIPPED, Outcome.ERRORED})
"""Outcomes of a rule that did not run its test: it is listed on its items, and covers none."""


def _coverage(
    framework: Framework, citations: Sequence[Citation], answered: frozenset[str]
) -> FrameworkCoverage:
    own = {
        item.id: tuple(
            CoverageRule(rule=c.rule, outcome=c.outcome)
            for c in citations
            if item.control in c.controls
        )
        for item in framework.items
    }
    leaf_covered = {
        item.id: any(rule.outcome not in _TESTED_NOTHING for rule in own[item.id])
        or item.control in answered
        for item in framework.leaves
    }
    descendants = framework.descendants()
    items = []
    for item in framework.items:
        below = descendants[item.id]
        leaves = [i for i in (item.id, *below) if i in leaf_covered]
        outcomes = [r.outcome for i in (item.id, *below) for r in own[i] if r.outcome]
        parent = framework.parent(item.id)
        items.append(
            ItemCoverage(
                control=item.control,
                title=item.title,
                parent=None if parent is None else f"{framework.name}:{parent}",
                leaf=item.id in leaf_covered,
                rules=own[item.id],
                by_report=item.control in answered,
                covered=all(leaf_covered[i] for i in leaves),
                outcome=min(outcomes, key=OUTCOME_ORDER.index) if outcomes else None,
            )
        )
    leaves_shown = [item for item in items if item.leaf]
    return FrameworkCoverage(
        framework=framework.name,
        title=framework.title,
        items=tuple(items),
        total=len(leaves_shown),
        covered=sum(item.covered for item in leaves_shown),
        failing=sum(item.covered and item.outcome in _FAILING for item in leaves_shown),
    )
