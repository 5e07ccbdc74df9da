"""Waivers: applied, expired (reported, not applied), unused, scoped."""

from __future__ import annotations

import pytest

from governance.engine.result import Outcome, Verdict, WaiverStatus
from governance.engine.run import run_audit

FAILING_CARD = "# Card\n\n## Intended use\n\nTODO\n"
POLICY = """\
policy: p
rules:
  - id: DOC-1
    title: Intended use
    severity: high
    documentation: {document: model_card, required_sections: [Intended use]}
  - id: DOC-2
    title: Datasheets
    severity: high
    documentation: {document: datasheet, required_sections: [Composition]}
"""


@pytest.fixture
def audit(write):
    write("card.md", FAILING_CARD)
    write("a.md", "# A\n## Composition\nTBD\n")
    write("b.md", "# B\n## Composition\nTBD\n")
    write("d.csv", "x\n1\n")
    write("policy.yaml", POLICY)

    def _audit(waivers: str):
        write("waivers.yaml", waivers)
        manifest = write(
            "audit.yaml",
            """\
            name: w
            model: {card: card.md}
            datasets:
              alpha: {path: d.csv, datasheet: a.md}
              beta: {path: d.csv, datasheet: b.md}
            policies: [policy.yaml]
            waivers: waivers.yaml
            """,
        )
        return run_audit(manifest)

    return _audit


def _waiver(rule: str, expires: str, scope: str = "") -> str:
    return (
        f"  - rule: {rule}\n    reason: accepted risk\n    owner: ml-team\n"
        f"    approved_by: CISO\n    expires: {expires}\n"
        + (f"    scope: {scope}\n" if scope else "")
    )


def test_an_unexpired_waiver_turns_a_failure_into_waived(audit):
    result = audit("waivers:\n" + _waiver("DOC-1", "2026-11-26") + _waiver("DOC-2", "2027-01-01"))
    assert {r.id: r.outcome for r in result.rules} == {
        "DOC-1": Outcome.WAIVED,
        "DOC-2": Outcome.WAIVED,
    }
    assert result.verdict is Verdict.PASSED_WITH_WAIVERS
    assert [w.status for w in result.waivers] == [WaiverStatus.APPLIED, WaiverStatus.APPLIED]
    assert [w.findings for w in result.waivers] == [1, 2]
    assert result.rules[0].findings[0].waived_by == 0


def test_an_expired_waiver_does_not_apply_and_is_reported(audit):
    result = audit("waivers:\n" + _waiver("DOC-1", "2026-11-25"))
    assert result.rules[0].outcome is Outcome.FAILED
    assert result.verdict is Verdict.FAILED
    record = result.waivers[0]
    assert (record.status, record.findings) == (WaiverStatus.EXPIRED, 1)


def test_a_waiver_matching_nothing_is_unused(audit):
    result = audit("waivers:\n" + _waiver("DOC-2", "2027-01-01", "{dataset: gamma}"))
    assert result.waivers[0].status is WaiverStatus.UNUSED
    assert result.waivers[0].findings == 0


def test_a_waiver_for_an_unknown_rule_is_an_input_error(audit):
    from governance.errors import InputError

    with pytest.raises(InputError) as caught:
        audit("waivers:\n" + _waiver("DOC-404", "2027-01-01"))
    assert "waiver for rule 'DOC-404', which no policy of this audit defines" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.line == 2


def test_a_scoped_waiver_covers_only_its_scope(audit):
    result = audit("waivers:\n" + _waiver("DOC-2", "2027-01-01", "{dataset: alpha}"))
    datasheets = result.rules[1]
    assert datasheets.outcome is Outcome.FAILED  # beta's datasheet is still failing
    waived = {f.scope.dataset: f.waived_by for f in datasheets.findings}
    assert waived == {"alpha": 0, "beta": None}
    result = audit("waivers:\n" + _waiver("DOC-2", "2027-01-01", "{dataset: '*'}"))
    assert result.rules[1].outcome is Outcome.WAIVED


def test_an_empty_waivers_file_is_an_error(audit):
    from governance.errors import InputError

    with pytest.raises(InputError, match="waivers file is empty"):
        audit("")
    assert audit("waivers: []\n").waivers == ()


def test_a_pinned_date_in_the_past_does_not_revive_an_expired_waiver(audit, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    result = audit("waivers:\n" + _waiver("DOC-1", "2026-11-25"))
    assert result.audit.created_at.year == 2023
    assert result.waivers[0].status is WaiverStatus.EXPIRED
    assert result.rules[0].outcome is Outcome.FAILED
