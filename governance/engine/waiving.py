"""Applying waivers to rule results: a failure fully covered by unexpired waivers is waived."""

from __future__ import annotations

import datetime as dt

from governance.engine.result import Outcome, RuleResult, WaiverRecord, WaiverStatus
from governance.vocabulary.findings import FindingScope
from governance.waivers import Waiver


def apply_waivers(
    results: tuple[RuleResult, ...], waivers: tuple[Waiver, ...], today: dt.date
) -> tuple[tuple[RuleResult, ...], tuple[WaiverRecord, ...]]:
    """Mark covered findings, turn fully covered failures into *waived*, and account for every
    waiver: applied, expired (it would have applied) or unused."""
    covered = [0] * len(waivers)
    waived_results = []
    for result in results:
        if result.outcome is not Outcome.FAILED:
            waived_results.append(result)
            continue
        findings = []
        for finding in result.findings:
            index = _first_cover(waivers, result.id, finding.scope, today, covered)
            findings.append(
                finding if index is None else finding.model_copy(update={"waived_by": index})
            )
        waived_results.append(result.with_waivers_applied(tuple(findings)))
    records = tuple(
        _record(waiver, count, today) for waiver, count in zip(waivers, covered, strict=True)
    )
    return tuple(waived_results), records


def _first_cover(
    waivers: tuple[Waiver, ...], rule: str, scope: FindingScope, today: dt.date, covered: list[int]
) -> int | None:
    """Index of the first unexpired waiver covering the finding; expired matches are counted."""
    chosen = None
    for index, waiver in enumerate(waivers):
        if waiver.rule != rule or not waiver.scope.covers(scope):
            continue
        if waiver.expired_on(today):
            covered[index] += 1
        elif chosen is None:
            chosen = index
            covered[index] += 1
    return chosen


def _record(waiver: Waiver, count: int, today: dt.date) -> WaiverRecord:
    if waiver.expired_on(today):
        status = WaiverStatus.EXPIRED
    else:
        status = WaiverStatus.APPLIED if count else WaiverStatus.UNUSED
    return WaiverRecord(
        rule=waiver.rule,
        scope=waiver.scope.model_dump(exclude_none=True),
        reason=waiver.reason,
        owner=waiver.owner,
        approved_by=waiver.approved_by,
        expires=waiver.expires,
        status=status,
        findings=count,
    )
