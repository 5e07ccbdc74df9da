"""A rule result cannot contradict its outcome: a passed or reported rule carries no findings, a
failed one carries some not yet waived, a skipped or errored one a reason and nothing else."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from governance.checks.documentation.evidence import DocumentationEvidence
from governance.engine.result import Outcome, RuleInfo, RuleOriginInfo, RuleResult
from governance.severity import FailOn, Severity
from governance.vocabulary.findings import Finding

RULE = RuleInfo(
    id="DOC-1",
    title="Model card states the intended use",
    severity=Severity.HIGH,
    kind="documentation",
    origin=RuleOriginInfo(policy="acme", path="policy.yaml", line=3),
)
EVIDENCE = DocumentationEvidence(documents=())
MISSING = Finding(message="section 'Intended use' is missing")
WAIVED = Finding(message="section 'Limitations' is missing", waived_by=0)


def _failed(*findings: Finding) -> RuleResult:
    return RuleResult.failed(RULE, findings=findings, evidence=EVIDENCE, duration_seconds=0.5)


def test_each_constructor_gives_its_outcome_and_keeps_the_rule():
    results = [
        (RuleResult.passed(RULE, evidence=EVIDENCE, duration_seconds=0.5), Outcome.PASSED),
        (RuleResult.reported(RULE, evidence=EVIDENCE, duration_seconds=0.5), Outcome.REPORTED),
        (_failed(MISSING), Outcome.FAILED),
        (RuleResult.skipped(RULE, reason="no datasheet", duration_seconds=0), Outcome.SKIPPED),
        (RuleResult.errored(RULE, reason="RuntimeError: x", duration_seconds=0), Outcome.ERRORED),
    ]
    for result, outcome in results:
        assert result.outcome is outcome
        assert result.model_dump(include=set(RuleInfo.model_fields)) == RULE.model_dump()


@pytest.mark.parametrize(
    ("outcome", "changes", "problem"),
    [
        (Outcome.PASSED, {"findings": (MISSING,)}, "a passed rule has no findings"),
        (Outcome.PASSED, {"reason": "why"}, "only a skipped or errored rule has a reason"),
        (Outcome.REPORTED, {"findings": (MISSING,)}, "a reported rule has no findings"),
        (Outcome.REPORTED, {"findings": (WAIVED,)}, "a reported rule has no findings"),
        (Outcome.REPORTED, {"reason": "why"}, "only a skipped or errored rule has a reason"),
        (Outcome.FAILED, {}, "a failed rule has findings not waived"),
        (Outcome.FAILED, {"findings": (WAIVED,)}, "a failed rule has findings not waived"),
        (Outcome.WAIVED, {}, "a waived rule has findings, all of them waived"),
        (Outcome.WAIVED, {"findings": (WAIVED, MISSING)}, "all of them waived"),
        (Outcome.SKIPPED, {}, "a skipped or errored rule has a reason"),
        (Outcome.ERRORED, {"reason": "boom", "findings": (MISSING,)}, "neither findings"),
        (Outcome.ERRORED, {"reason": "boom", "evidence": EVIDENCE}, "neither findings"),
    ],
)
def test_a_result_contradicting_its_outcome_cannot_be_built(outcome, changes, problem):
    with pytest.raises(ValidationError, match=problem):
        RuleResult(**dict(RULE), outcome=outcome, **changes)


def test_a_failed_result_without_findings_cannot_be_built():
    with pytest.raises(ValidationError, match="rule 'DOC-1': a failed rule has findings"):
        _failed()


def test_waivers_covering_every_finding_waive_the_rule():
    result = _failed(MISSING).with_waivers_applied((MISSING.model_copy(update={"waived_by": 2}),))
    assert result.outcome is Outcome.WAIVED
    assert result.findings[0].waived_by == 2
    assert result.evidence == EVIDENCE


def test_waivers_covering_some_findings_leave_the_rule_failed():
    result = _failed(MISSING, MISSING).with_waivers_applied((WAIVED, MISSING))
    assert result.outcome is Outcome.FAILED
    assert [f.waived_by for f in result.findings] == [0, None]


def test_only_a_failed_rule_can_be_waived():
    passed = RuleResult.passed(RULE, evidence=EVIDENCE, duration_seconds=0.0)
    with pytest.raises(ValueError, match="waivers apply to the findings of a failed rule"):
        passed.with_waivers_applied((WAIVED,))


def test_a_reported_rule_has_nothing_to_waive():
    reported = RuleResult.reported(RULE, evidence=EVIDENCE, duration_seconds=0.0)
    with pytest.raises(ValueError, match="waivers apply to the findings of a failed rule"):
        reported.with_waivers_applied(())


@pytest.mark.parametrize("fail_on", list(FailOn))
def test_only_errored_and_failed_rules_at_the_threshold_block_the_gate(fail_on):
    failed = _failed(MISSING)  # severity high
    assert failed.blocks_gate(fail_on) is (
        fail_on in (FailOn.INFO, FailOn.LOW, FailOn.MEDIUM, FailOn.HIGH)
    )
    errored = RuleResult.errored(RULE, reason="RuntimeError: x", duration_seconds=0)
    assert errored.blocks_gate(fail_on)
    for result in (
        RuleResult.reported(RULE, evidence=EVIDENCE, duration_seconds=0),
        RuleResult.passed(RULE, evidence=EVIDENCE, duration_seconds=0),
        RuleResult.skipped(RULE, reason="no datasheet", duration_seconds=0),
    ):
        assert not result.blocks_gate(fail_on)
