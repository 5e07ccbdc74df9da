"""Reading back an `audit.json` an earlier audit wrote (for `governance diff` and
`audit --baseline`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from governance.engine.result import SCHEMA_VERSION, AuditResult
from governance.errors import InputError, SourceLocation, UsageError

AUDIT_JSON = "audit.json"


@dataclass(frozen=True)
class RecordedAudit:
    result: AuditResult
    sha256: str
    """Of the audit.json file as read."""


def audit_json_path(target: Path) -> Path:
    """`target` itself, or the audit.json of a report folder."""
    path = target / AUDIT_JSON if target.is_dir() else target
    if not path.is_file():
        raise UsageError(
            f"{path} not found",
            hint="name an audit.json or a report folder holding one (--format json)",
        )
    return path


def read_recorded_audit(path: Path) -> RecordedAudit:
    """The result recorded in `path` (an audit.json). Errors name the file, never a value."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the file ({error.strerror or type(error).__name__})"
        ) from None
    version = _schema_version(path, data)
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{path} has schema_version {version!r}; this version of governance reads "
            f"{SCHEMA_VERSION!r}",
            location=SourceLocation(path),
            hint="re-run the earlier audit with this version to compare with it",
        )
    try:
        result = AuditResult.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(
            f"{path} is not a valid audit.json: at {where}: {first['type']}",
            location=SourceLocation(path),
        ) from None
    return RecordedAudit(result=result, sha256=hashlib.sha256(data).hexdigest())


def _schema_version(path: Path, data: bytes) -> str:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{path} is not JSON", location=SourceLocation(path)) from None
    version = document.get("schema_version") if isinstance(document, dict) else None
    if not isinstance(version, str):
        raise InputError(
            f"{path} is not an audit.json (no schema_version)", location=SourceLocation(path)
        )
    return version[:20]
