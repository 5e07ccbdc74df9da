"""Gating against a baseline (Semgrep's diff-aware mode): the findings an earlier audit already
held are counted and reported, and only new ones fail the gate."""

from __future__ import annotations

from governance.engine.recorded_result import RecordedAudit
from governance.engine.result import AuditResult, BaselineInfo


def gated_against(result: AuditResult, baseline: RecordedAudit, verified: str) -> AuditResult:
    """`result` with its baseline recorded: which of its findings the baseline held, how many
    are new, how many remain and how many were fixed. `verified` says how the baseline was
    checked before use."""
    held = {
        finding.fingerprint
        for rule in baseline.result.rules
        for finding in rule.findings
        if finding.fingerprint is not None
    }
    current = {
        finding.fingerprint
        for rule in result.rules
        for finding in rule.findings
        if finding.fingerprint is not None
    }
    known = tuple(sorted(current & held))
    info = BaselineInfo(
        audit=baseline.result.audit.name,
        created_at=baseline.result.audit.created_at,
        sha256=baseline.sha256,
        verified=verified,
        known=known,
        new=len(current - held),
        remaining=len(known),
        fixed=len(held - current),
    )
    return result.model_copy(update={"baseline": info})
