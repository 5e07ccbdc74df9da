"""The in-toto Statement v1 that binds the report files to the audit and its inputs.

Subjects are the report files with their sha256; the predicate (type `PREDICATE_TYPE`, versioned
in its URI) records the verdict, each rule's outcome, the digest of every input, the tool and
library versions and the audit date. The statement is canonical JSON (sorted keys, no spaces), so
the same audit yields the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from governance.engine.result import AuditResult
from governance.hashing import digest_set
from governance.json_documents import MalformedJson, loads_strict

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
# A URN rather than an address: the project owns no domain to host the predicate spec.
PREDICATE_TYPE = "urn:governance:attestation:audit-result:v1"
ATTESTATION_FILE = "attestation.intoto.jsonl"
SIGNER_FILE = "signer.pem"
PDF_REPORT = "report.pdf"


def audit_predicate(result: AuditResult) -> dict[str, Any]:
    return {
        "audit": {
            "name": result.audit.name,
            "manifest": result.audit.manifest,
            "createdAt": result.audit.created_at.isoformat().replace("+00:00", "Z"),
            "failOn": result.audit.fail_on.value,
            "schemaVersion": result.schema_version,
        },
        "verdict": result.verdict.value,
        "counts": result.counts,
        "rules": [
            {
                "id": rule.id,
                "severity": rule.severity.value,
                "outcome": rule.outcome.value,
                "findings": len(rule.findings),
            }
            for rule in result.rules
        ],
        "inputs": [
            {"role": f.role, "path": f.path, "digest": {"sha256": f.sha256}, "size": f.size}
            for f in result.inputs
        ],
        "policies": [p.model_dump(mode="json") for p in result.policies],
        "tool": result.tool.model_dump(mode="json"),
        **({} if result.model is None else {"model": _model_binding(result)}),
        **({} if result.source_control is None else {"source": _source(result)}),
    }


def _source(result: AuditResult) -> dict[str, Any]:
    """Where the audited files came from: the commit as an in-toto resource descriptor, the
    branch, whether the work tree was dirty and which inputs were not as committed; or why
    nothing was recorded."""
    source = result.source_control
    assert source is not None
    descriptor = source.commit_descriptor()
    if descriptor is None:
        return {"absent": source.absent_reason}
    return {
        "resourceDescriptors": [descriptor],
        "branch": source.branch,
        "dirty": source.dirty,
        "uncommittedInputs": [
            {"path": item.path, "state": item.state.value} for item in source.uncommitted_inputs
        ],
    }


def _model_binding(result: AuditResult) -> dict[str, Any]:
    """The model whose predictions the audit's numbers came from, bound by its sha256 to the
    predictions it gave (one digest per scored dataset)."""
    assert result.model is not None
    model = result.model
    return {
        "artifact": model.artifact,
        "format": model.format,
        "digest": {"sha256": model.sha256},
        "pickleOptIn": model.pickle_opt_in,
        "scored": [
            {
                "dataset": scored.dataset,
                "rows": scored.rows,
                "predictions": digest_set(scored.predictions_sha256),
            }
            for scored in model.scored
        ],
    }


def statement_bytes(result: AuditResult, subjects: Mapping[str, str]) -> bytes:
    """The Statement for `subjects` (file name -> sha256 hex), as canonical JSON."""
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": n, "digest": {"sha256": d}} for n, d in sorted(subjects.items())],
        "predicateType": PREDICATE_TYPE,
        "predicate": audit_predicate(result),
    }
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode("utf-8")


class StatementError(ValueError):
    """The payload is not a statement this tool wrote."""


@dataclass(frozen=True)
class AttestedAudit:
    """What verification needs from a statement: subject and input digests, which audit it
    was and the verdict its gate gave."""

    subjects: Mapping[str, str]
    inputs: Mapping[str, str]
    name: str
    verdict: str
    fail_on: str
    """The gate the verdict was judged at (`none` for a report-only run)."""
    failed_rules: int
    created_at: str
    commit: str | None = None
    """The git commit the audit recorded, if any."""


def read_statement(payload: bytes) -> AttestedAudit:
    """The statement of a verified envelope, read as strict JSON like every other JSON input:
    a key written twice is refused rather than read as its last copy, which another in-toto
    reader might not take."""
    try:
        statement = loads_strict(payload)
    except MalformedJson as problem:
        raise StatementError(f"the statement {problem.reason}") from None
    try:
        if statement["_type"] != STATEMENT_TYPE:
            raise StatementError(f"not an in-toto Statement v1 (_type {statement['_type']!r})")
        if statement["predicateType"] != PREDICATE_TYPE:
            raise StatementError(f"unknown predicate type {statement['predicateType']!r}")
        predicate = statement["predicate"]
        return AttestedAudit(
            subjects=_named_digests(
                "subject", ((s["name"], s["digest"]["sha256"]) for s in statement["subject"])
            ),
            inputs=_named_digests(
                "input", ((i["path"], i["digest"]["sha256"]) for i in predicate["inputs"])
            ),
            name=_text(predicate["audit"]["name"]),
            verdict=_text(str(predicate["verdict"])),
            fail_on=_text(predicate["audit"]["failOn"]),
            failed_rules=_count(predicate["counts"]["failed"]),
            created_at=_text(str(predicate["audit"]["createdAt"])),
            commit=_commit(predicate),
        )
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        if isinstance(error, StatementError):
            raise
        raise StatementError("the statement is malformed") from None


def _named_digests(what: str, entries: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    """Name -> sha256 of a list of subjects or inputs. A name listed twice with different
    digests is refused rather than read as its last copy: another in-toto reader may take the
    first, and vouch for another file than the one verified."""
    named: dict[str, str] = {}
    for name, digest in entries:
        if named.setdefault(_text(name), _text(digest)) != digest:
            raise StatementError(
                f"the statement names the {what} {name!r} twice, with different digests"
            )
    return named


def _commit(predicate: dict[str, Any]) -> str | None:
    source = predicate.get("source")
    descriptors = source.get("resourceDescriptors") if isinstance(source, dict) else None
    return _text(descriptors[0]["digest"]["gitCommit"]) if descriptors else None


def _text(value: Any) -> str:
    """A string of the statement, as this tool writes them: text (a file name that is a number
    cannot name a file) that encodes as UTF-8 (JSON admits lone surrogates, "\\ud800", which
    no output can print)."""
    if not isinstance(value, str):
        raise TypeError("not a string")
    value.encode("utf-8")  # UnicodeEncodeError, a ValueError, for a lone surrogate
    return value


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:  # bool is an int to isinstance
        raise TypeError("not a count")
    return value
