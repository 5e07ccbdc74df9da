"""Checks on the attestation: its DSSE signature, and the report files it names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from governance.errors import InputError
from governance.hashing import file_sha256
from governance.regular_files import NotRegularFile, open_regular_file
from governance.signing.attestation import (
    ATTESTATION_FILE,
    PAYLOAD_TYPE,
    SIGNER_FILE,
    AttestedAudit,
    StatementError,
    read_statement,
)
from governance.signing.certificates import public_key_of
from governance.signing.dsse import EnvelopeError, verify_envelope_line
from governance.signing.verification.outcome import VerificationCheck

MAX_ATTESTATION_BYTES = 64 * 1024 * 1024
"""An attestation names each report file and input once: a few KB; far larger is refused
before it is parsed."""


@dataclass(frozen=True)
class AttestationFindings:
    check: VerificationCheck
    attested: AttestedAudit | None


def check_attestation(path: Path, signer: x509.Certificate | None) -> AttestationFindings:
    if not path.is_file():
        return _failed(f"{path.name} not found")
    if signer is None:
        return _failed("no signer certificate to verify the attestation with")
    try:
        public_key = public_key_of(signer)
    except InputError as error:  # a key type reports are never signed with
        return _failed(f"{SIGNER_FILE}: {error.message}")
    try:
        with open_regular_file(path) as stream:  # a FIFO or a device would never end
            raw = stream.read(MAX_ATTESTATION_BYTES + 1)
        text = raw.decode("utf-8")
    except NotRegularFile as refused:
        return _failed(f"{path.name} is {refused.kind}, not a file")
    except OSError as error:  # unreadable (permissions, I/O): it verifies nothing
        return _failed(f"cannot read {path.name}: {error.strerror or type(error).__name__}")
    except UnicodeDecodeError as error:
        return _failed(f"{path.name}: {error}")
    if len(raw) > MAX_ATTESTATION_BYTES:
        return _failed(f"{path.name} is larger than {MAX_ATTESTATION_BYTES:,} bytes")
    try:
        verified = verify_envelope_line(text, public_key)
        if verified.payload_type != PAYLOAD_TYPE:
            return _failed(f"unexpected payload type {verified.payload_type!r}")
        attested = read_statement(verified.payload)
    except (EnvelopeError, StatementError) as error:
        return _failed(f"{path.name}: {error}")
    return AttestationFindings(
        VerificationCheck.passed(
            "attestation",
            f"{path.name}: DSSE signature valid; audit {attested.name}, verdict "
            f"{attested.verdict} with --fail-on {attested.fail_on} "
            f"({attested.failed_rules} rule{'' if attested.failed_rules == 1 else 's'} failed), "
            f"audited {attested.created_at}"
            + (f" at git commit {attested.commit}" if attested.commit else ""),
        ),
        attested,
    )


def check_subjects(
    folder: Path, attested: AttestedAudit | None, ignored: frozenset[str] = frozenset()
) -> VerificationCheck:
    """Every attested report file is present with the attested sha256, and every other entry
    of the folder is the attestation itself or named in `ignored`: a file the attestation does
    not name (`extra-summary.html`) is a report from somewhere else, or a forgery, that a
    reader would take for this audit's. No entry is a symbolic link (the tool writes none):
    what it leads to can change after verification without the folder changing."""
    if attested is None:
        return VerificationCheck.skipped("subjects", "no verified attestation")
    if not attested.subjects:
        return VerificationCheck.failed("subjects", "the attestation names no report file")
    problems = [
        _subject_problem(folder, name, digest) for name, digest in attested.subjects.items()
    ]
    try:
        present = sorted(folder.iterdir())
    except OSError as error:
        present = []
        problems.append(f"cannot list the folder ({error.strerror or type(error).__name__})")
    allowed = {*attested.subjects, ATTESTATION_FILE}
    problems += [
        f"{entry.name} is a symbolic link, not a file of the folder"
        for entry in present
        if entry.is_symlink() and entry.name not in ignored
    ]
    problems += [
        f"{entry.name} is present but not attested"
        for entry in present
        if entry.name not in allowed | ignored
    ]
    found = [problem for problem in problems if problem is not None]
    if found:
        return VerificationCheck.failed("subjects", "; ".join(sorted(found)))
    return VerificationCheck.passed(
        "subjects", f"{len(attested.subjects)} report files match: {', '.join(attested.subjects)}"
    )


def _subject_problem(folder: Path, name: str, digest: str) -> str | None:
    path = folder / name
    if Path(name).name != name or not path.is_file():
        return f"{name} is missing"
    try:
        matches = file_sha256(path)[0] == digest
    except OSError as error:
        return f"{name} cannot be read ({error.strerror or type(error).__name__})"
    return None if matches else f"{name} differs from the attested file (sha256 mismatch)"


def _failed(reason: str) -> AttestationFindings:
    return AttestationFindings(VerificationCheck.failed("attestation", reason), None)
