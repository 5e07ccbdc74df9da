"""`report.sarif`: SARIF 2.1.0 for code-scanning tools — one run, one reporting descriptor per
policy rule, one result per failing or waived finding (waived ones carry a suppression), and one
`informational` result per reported rule (a rule without a threshold: its descriptor's level is
`note`; SARIF §3.27.10 requires a result that is not `fail` to have level `none`)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from governance.engine.result import AuditResult, Outcome, RuleResult
from governance.severity import Severity
from governance.vocabulary.findings import Finding
from governance.vocabulary.fingerprints import FINGERPRINT_VERSION

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE_ID = "MANIFEST_DIR"
"""The base every location is relative to: the folder of the audit manifest."""

_LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def render_sarif(result: AuditResult) -> str:
    rules = sorted(result.rules, key=lambda r: r.id)
    index = {rule.id: position for position, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "governance",
                "version": result.tool.version,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "automationDetails": {"id": f"governance/{result.audit.name}/"},
        "originalUriBaseIds": {
            BASE_ID: {
                "description": {
                    "text": f"The folder holding the audit manifest {result.audit.manifest}; "
                    "every path in this log is relative to it."
                }
            }
        },
        "invocations": [_invocation(result)],
        "results": [
            *(
                _result(rule, finding, index[rule.id], result)
                for rule in rules
                if rule.outcome in (Outcome.FAILED, Outcome.WAIVED)
                for finding in rule.findings
            ),
            *(
                _reported(rule, index[rule.id], result)
                for rule in rules
                if rule.outcome is Outcome.REPORTED
            ),
        ],
        "properties": {
            "audit": result.audit.name,
            "verdict": result.verdict.value,
            "counts": result.counts,
            "failOn": result.audit.fail_on.value,
            "createdAt": _timestamp(result),
        },
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: RuleResult) -> dict[str, Any]:
    help_text = rule.description or rule.title
    if rule.remediation:
        help_text += f"\n\nRemediation: {rule.remediation}"
    if rule.controls:
        help_text += f"\n\nControls: {', '.join(rule.controls)}"
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": help_text},
        "defaultConfiguration": {
            "level": "note" if rule.outcome is Outcome.REPORTED else _LEVELS[rule.severity]
        },
        "properties": {
            "severity": rule.severity.value,
            "outcome": rule.outcome.value,
            "kind": rule.kind,
            "policy": rule.origin.policy,
            "tags": [rule.kind, *rule.controls],
        },
    }


def _result(rule: RuleResult, finding: Finding, index: int, audit: AuditResult) -> dict[str, Any]:
    path = finding.location.path if finding.location else audit.audit.manifest
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(path), "uriBaseId": BASE_ID}}
    if finding.location and finding.location.line:
        physical["region"] = {"startLine": finding.location.line}
    entry: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": index,
        "kind": "fail",
        "level": _LEVELS[rule.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.fingerprint:
        entry["partialFingerprints"] = {FINGERPRINT_VERSION: finding.fingerprint}
    if audit.baseline is not None:  # gated against a baseline: was it there already?
        entry["baselineState"] = "new" if audit.is_new(finding) else "unchanged"
    scope = finding.scope.model_dump(exclude_none=True)
    if scope:
        entry["properties"] = {"scope": scope}
    if finding.waived_by is not None and finding.waived_by < len(audit.waivers):
        waiver = audit.waivers[finding.waived_by]
        entry["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver.reason} (owner {waiver.owner}, approved by "
                f"{waiver.approved_by}, expires {waiver.expires.isoformat()})",
            }
        ]
    return entry


def _reported(rule: RuleResult, index: int, audit: AuditResult) -> dict[str, Any]:
    """A reported rule: not a finding, so `informational`, located at the manifest."""
    return {
        "ruleId": rule.id,
        "ruleIndex": index,
        "kind": "informational",
        "level": "none",
        "message": {
            "text": f"{rule.title}: figures reported, not judged (the rule has no threshold); "
            "they are in the report and audit.json."
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(audit.audit.manifest), "uriBaseId": BASE_ID}
                }
            }
        ],
        "properties": {"outcome": Outcome.REPORTED.value},
    }


def _invocation(result: AuditResult) -> dict[str, Any]:
    """Errored rules are the tool's own failures: they go here, not in `results`; so do the
    rules' notes."""
    errored = [r for r in result.rules if r.outcome is Outcome.ERRORED]
    invocation: dict[str, Any] = {
        "executionSuccessful": not errored,
        "startTimeUtc": _timestamp(result),
    }
    if result.audit.run_by:
        invocation["account"] = result.audit.run_by
    notifications = [
        {
            "level": "error",
            "message": {"text": f"rule {rule.id} could not run: {rule.reason or 'no reason'}"},
            "descriptor": {"id": rule.id},
        }
        for rule in sorted(errored, key=lambda r: r.id)
    ]
    # What a verdict leaves out (a group not compared, values taken as unknown), per rule.
    notifications += [
        {
            "level": "note",
            "message": {"text": f"rule {rule.id}: {note.text}"},
            "descriptor": {"id": rule.id},
        }
        for rule in result.rules
        for note in rule.notes
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _timestamp(result: AuditResult) -> str:
    return result.audit.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
