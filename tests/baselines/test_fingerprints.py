"""Finding fingerprints: stable, computed only from what the report shows, distinct within a
rule, and written to SARIF."""

from __future__ import annotations

import hashlib
import json

from governance.engine.result import Outcome, RuleOriginInfo, RuleResult
from governance.render.sarif_report import render_sarif
from governance.severity import Severity
from governance.vocabulary.findings import Finding, FindingScope
from governance.vocabulary.fingerprints import FINGERPRINT_VERSION
from tests.reports.canonical_audit import canonical_result


def _failed(*findings: Finding, rule: str = "PII-1") -> RuleResult:
    return RuleResult(
        id=rule,
        title="t",
        severity=Severity.HIGH,
        kind="pii",
        origin=RuleOriginInfo(policy="p", path="p.yaml", line=1),
        outcome=Outcome.FAILED,
        findings=findings,
    )


def _column(name: str, message: str = "holds EMAIL_ADDRESS", entity: str = "EMAIL_ADDRESS"):
    return Finding(
        message=message, scope=FindingScope(dataset="applicants", column=name), subject=entity
    )


def test_a_fingerprint_ignores_the_figures_of_the_message() -> None:
    before = _failed(_column("notes", "holds EMAIL_ADDRESS in 28 of 48 values"))
    after = _failed(_column("notes", "holds EMAIL_ADDRESS in 3 of 48 values"))
    assert before.findings[0].fingerprint == after.findings[0].fingerprint
    assert len(before.findings[0].fingerprint or "") == 32


def test_rule_scope_and_subject_each_change_it() -> None:
    base = _failed(_column("notes")).findings[0].fingerprint
    assert _failed(_column("notes"), rule="PII-2").findings[0].fingerprint != base
    assert _failed(_column("comments")).findings[0].fingerprint != base
    assert _failed(_column("notes", entity="PHONE_NUMBER")).findings[0].fingerprint != base


def test_a_personal_identifier_enters_only_masked() -> None:
    # Two columns named after different addresses are shown alike (j***@e***.com): the
    # fingerprint is the same for either, so it cannot be used to confirm a guessed name.
    jane = _failed(_column("jane.doe@example.com")).findings[0]
    john = _failed(_column("john.roe@example.com")).findings[0]
    assert jane.scope.column == "j***@e***.com"
    assert jane.fingerprint == john.fingerprint
    raw = hashlib.sha256(b"jane.doe@example.com").hexdigest()
    assert (jane.fingerprint or "") not in raw


def test_findings_that_would_collide_get_a_deterministic_disambiguator() -> None:
    rule = _failed(_column("jane.doe@example.com"), _column("john.roe@example.com"))
    first, second = (f.fingerprint for f in rule.findings)
    assert first != second
    assert first == _failed(_column("john.roe@example.com")).findings[0].fingerprint
    again = _failed(_column("jane.doe@example.com"), _column("john.roe@example.com"))
    assert [f.fingerprint for f in again.findings] == [first, second]


def test_sarif_results_carry_the_fingerprint() -> None:
    result = canonical_result()
    sarif = json.loads(render_sarif(result))
    fingerprints = [
        r["partialFingerprints"] for r in sarif["runs"][0]["results"] if r["kind"] == "fail"
    ]
    expected = [
        {FINGERPRINT_VERSION: f.fingerprint}
        for rule in sorted(result.rules, key=lambda r: r.id)
        if rule.outcome in (Outcome.FAILED, Outcome.WAIVED)
        for f in rule.findings
    ]
    assert fingerprints == expected and all(f[FINGERPRINT_VERSION] for f in fingerprints)
