"""The Markdown summary: evidence tables of failing rules, whole tables, cut when long."""

from __future__ import annotations

import re
from collections.abc import Callable

from governance.engine.result import AuditResult
from governance.render.markdown_summary import MAX_EVIDENCE_ROWS, render_markdown
from tests.reports.canonical_audit import GroupRatesEvidence

WithEvidence = Callable[[AuditResult, str, object], AuditResult]


def _evidence_blocks(summary: str) -> list[str]:
    return re.findall(r"<details><summary>Evidence: (.*?)</details>", summary, flags=re.S)


def test_evidence_is_shown_for_failing_rules_only(result: AuditResult) -> None:
    blocks = _evidence_blocks(render_markdown(result))
    assert len(blocks) == 2  # DOC-MC-005 and DOC-MC-007, not the passed or waived rules


def test_long_evidence_tables_are_cut_and_say_so(
    result: AuditResult, with_evidence: WithEvidence
) -> None:
    rates = tuple((f"group {i}", i / 100) for i in range(MAX_EVIDENCE_ROWS + 7))
    summary = render_markdown(with_evidence(result, "DOC-MC-005", GroupRatesEvidence(rates=rates)))
    (block,) = [b for b in _evidence_blocks(summary) if b.startswith("Impact ratio by group")]
    table = [line for line in block.splitlines() if line.startswith("|")]
    assert len(table) == 2 + MAX_EVIDENCE_ROWS  # header, rule, rows
    body = block[block.index("| group") :]
    # One table: no blank line between its rows, or Markdown would end it there.
    assert "\n\n|" not in body
    assert "… 7 more rows in the full report." in block
