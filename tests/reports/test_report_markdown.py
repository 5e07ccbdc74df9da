"""The Markdown summary reads as a pull-request comment: what needs attention first, with its
findings; passed and reported rules in one collapsed list."""

from __future__ import annotations

import re

from governance.engine.result import AuditResult, Outcome
from governance.render.markdown_summary import FINDINGS_SHOWN, SIZE_BUDGET, render_markdown
from governance.severity import FailOn
from governance.vocabulary.findings import Finding, FindingScope
from governance.vocabulary.notes import Note, NoteKind


def _rule_ids(text: str) -> list[str]:
    return re.findall(r"`([A-Z0-9-]+)`", text)


def test_failed_and_errored_rules_come_first_with_their_findings(result: AuditResult) -> None:
    summary = render_markdown(result)
    attention = summary[summary.index("### Failed and errored") : summary.index("### Waived")]
    assert _rule_ids(attention) == ["ACME-001", "DOC-MC-005", "DOC-MC-007"]
    assert "errored: RuntimeError: the check crashed" in attention
    assert "holds only a placeholder — MODEL\\_CARD.md:45" in attention
    assert "(critical, blocks the gate)" in attention
    assert "(medium)" in attention  # failed below the gate: not said to block it


def test_passed_and_reported_rules_are_one_collapsed_list_after_the_rest(
    result: AuditResult,
) -> None:
    summary = render_markdown(result)
    blocks = re.findall(r"<details><summary>(.*?)</summary>(.*?)</details>", summary, re.S)
    assert len(blocks) == 1
    title, body = blocks[0]
    assert title == "1 reported and 1 passed rules"
    assert _rule_ids(body) == ["LL144-SEL-SEX", "DOC-MC-001"]
    assert "figures without a threshold" in body
    assert summary.index("<details>") > summary.index("### Waived and skipped")
    # Nothing outside the list calls them passed or reported.
    outside = summary.replace(body, "")
    assert "LL144-SEL-SEX" not in outside
    assert "`DOC-MC-001` Model card" not in outside


def test_counts_keep_reported_apart_from_passed(result: AuditResult) -> None:
    counts_line = render_markdown(result).splitlines()[2]
    assert counts_line == (
        "✅ 1 passed · 📊 1 reported · ❌ 2 failed · 🟡 1 waived · ⏭️ 1 skipped · 💥 1 errored"
    )


def test_waived_skipped_and_unapplied_waivers_say_why(result: AuditResult) -> None:
    summary = render_markdown(result)
    assert "(medium, waived): Agreed with Legal until the next release." in summary
    assert "(low, skipped): no dataset declares a datasheet" in summary
    assert "`DOC-MC-007`: expired on 2026-09-30, so its 1 finding counts as failed" in summary
    assert "`DOC-MC-001`: matched no finding (unused)" in summary


def _with_findings(result: AuditResult, count: int, text: str = "problem") -> AuditResult:
    findings = tuple(
        Finding(message=f"{text} {i}", scope=FindingScope(document="model_card"))
        for i in range(count)
    )
    rules = tuple(
        r.model_copy(update={"findings": findings}) if r.id == "DOC-MC-005" else r
        for r in result.rules
    )
    return result.model_copy(update={"rules": rules})


def test_many_findings_are_cut_and_counted(result: AuditResult) -> None:
    most = FINDINGS_SHOWN[0]
    summary = render_markdown(_with_findings(result, most + 3))
    assert f"problem {most - 1}" in summary
    assert f"problem {most}" not in summary
    assert "… and 3 more in the full report" in summary


def test_a_long_summary_shows_fewer_findings_to_stay_under_its_budget(
    result: AuditResult,
) -> None:
    long = "a finding whose message runs on " + "and on " * 150
    summary = render_markdown(_with_findings(result, 5, long))
    assert len(summary.encode("utf-8")) < SIZE_BUDGET
    assert f"{long} 0" in summary
    assert f"{long} 1" not in summary
    assert "… and 4 more in the full report" in summary


def test_a_report_only_gate_is_described(result: AuditResult) -> None:
    audit = result.audit.model_copy(update={"fail_on": FailOn.NONE})
    summary = render_markdown(result.model_copy(update={"audit": audit}))
    assert "The gate fails only on an errored rule" in summary
    assert "blocks the gate" in summary  # the errored rule still does
    assert "DOC-MC-005` Model card states known limitations** (high)" in summary


def test_every_outcome_has_an_icon(result: AuditResult) -> None:
    summary = render_markdown(result)
    for outcome in Outcome:
        assert f" {result.counts[outcome.value]} {outcome.value}" in summary


def test_a_waived_rule_judged_on_a_sample_says_so_as_a_passed_one_does(
    result: AuditResult,
) -> None:
    # Waived, a rule passes the gate as a passed one does: what its sample could not rule out
    # is as much the reader's business (the console and every report file say it too).
    note = Note(kind=NoteKind.SAMPLED, text="judged on a sample: 1 of 1 columns")
    rules = tuple(
        r.model_copy(update={"notes": (note,)}) if r.outcome is Outcome.WAIVED else r
        for r in result.rules
    )
    (waived,) = [r.id for r in rules if r.outcome is Outcome.WAIVED]
    summary = render_markdown(result.model_copy(update={"rules": rules}))
    assert f"### Judged on a sample\n- `{waived}`: judged on a sample: 1 of 1 columns" in summary
