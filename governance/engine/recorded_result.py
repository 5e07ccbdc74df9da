"""Reading back an `audit.json` an earlier audit wrote (for `governance diff` and
`audit --baseline`)."""

from __future__ import annotations

import errno
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from governance.engine.result import SCHEMA_VERSION, AuditResult
from governance.errors import InputError, SourceLocation, UsageError
from governance.json_documents import parse_json
from governance.regular_files import NotRegularFile, open_regular_file

AUDIT_JSON = "audit.json"
MAX_AUDIT_JSON_BYTES = 64 * 1024 * 1024
"""Far more than an audit of thousands of findings writes: a larger file is refused before it
is parsed, so a hostile one cannot exhaust memory."""


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


READ_AS_CURRENT = frozenset({"1.2"})
"""Earlier schema versions whose every file is also a file of the current one: 1.3 only added
values (the verdict `skipped`, the note kind `sampled`), so baselines written by 1.2 still
compare."""


def read_recorded_audit(path: Path) -> RecordedAudit:
    """The result recorded in `path` (an audit.json). Errors name the file, never a value."""
    original = data = _read_bytes(path)
    version = _schema_version(path, data)
    if version in READ_AS_CURRENT:
        document = parse_json(data, path, "the audit.json")
        data = json.dumps({**document, "schema_version": SCHEMA_VERSION}).encode()
    elif version != SCHEMA_VERSION:
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
    return RecordedAudit(result=result, sha256=hashlib.sha256(original).hexdigest())


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file, not a symbolic link (a tampered report folder's
    audit.json must not lead the tool to read a file elsewhere), of bounded size."""
    try:
        with open_regular_file(path, follow_symlinks=False) as stream:
            data = stream.read(MAX_AUDIT_JSON_BYTES + 1)
    except NotRegularFile as refused:
        raise InputError(f"{path} is {refused.kind}, not a file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(
                f"{path} is a symbolic link; an audit.json is read only as a regular file",
                hint="name the file it leads to, if you trust it",
            ) from None
        raise InputError(
            f"{path}: cannot read the file ({error.strerror or type(error).__name__})"
        ) from None
    if len(data) > MAX_AUDIT_JSON_BYTES:
        raise InputError(
            f"{path} is larger than the limit of {MAX_AUDIT_JSON_BYTES:,} bytes for an audit.json"
        )
    return data


def _schema_version(path: Path, data: bytes) -> str:
    document = parse_json(data, path, "the audit.json")
    version = document.get("schema_version") if isinstance(document, dict) else None
    if not isinstance(version, str):
        raise InputError(
            f"{path} is not an audit.json (no schema_version)", location=SourceLocation(path)
        )
    return version[:20]
