"""Checks on the attestation: its DSSE signature, and the report files it names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from governance.errors import InputError
from governance.hashing import file_sha256
from governance.render.formats import ReportFormat
from governance.signing.attestation import (
    PAYLOAD_TYPE,
    SIGNER_FILE,
    AttestedAudit,
    StatementError,
    read_statement,
)
from governance.signing.certificates import public_key_of
from governance.signing.dsse import EnvelopeError, parse_envelope_line, verify_envelope
from governance.signing.verification.outcome import VerificationCheck

# Every file the audit can write: one beside the attestation that it does not name is a report
# from somewhere else (or a forgery) that a reader would take for this audit's.
_REPORT_FILES = frozenset(f.file_name for f in ReportFormat if f.file_name is not None)


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
        text = path.read_text(encoding="utf-8")
    except OSError as error:  # unreadable (permissions, I/O): it verifies nothing
        return _failed(f"cannot read {path.name}: {error.strerror or type(error).__name__}")
    except UnicodeDecodeError as error:
        return _failed(f"{path.name}: {error}")
    try:
        envelope = parse_envelope_line(text)
        verified = verify_envelope(envelope, public_key)
        if verified.payload_type != PAYLOAD_TYPE:
            return _failed(f"unexpected payload type {verified.payload_type!r}")
        attested = read_statement(verified.payload)
    except (EnvelopeError, StatementError) as error:
        return _failed(f"{path.name}: {error}")
    return AttestationFindings(
        VerificationCheck.passed(
            "attestation",
            f"{path.name}: DSSE signature valid; verdict {attested.verdict}, "
            f"audited {attested.created_at}",
        ),
        attested,
    )


def check_subjects(folder: Path, attested: AttestedAudit | None) -> VerificationCheck:
    """Every attested report file is present with the attested sha256, and no other report
    file is in the folder."""
    if attested is None:
        return VerificationCheck.skipped("subjects", "no verified attestation")
    if not attested.subjects:
        return VerificationCheck.failed("subjects", "the attestation names no report file")
    problems = []
    for name, digest in sorted(attested.subjects.items()):
        path = folder / name
        if Path(name).name != name or not path.is_file():
            problems.append(f"{name} is missing")
            continue
        try:
            matches = file_sha256(path)[0] == digest
        except OSError as error:
            problems.append(f"{name} cannot be read ({error.strerror or type(error).__name__})")
            continue
        if not matches:
            problems.append(f"{name} differs from the attested file (sha256 mismatch)")
    problems += [
        f"{name} is present but not attested"
        for name in sorted(_REPORT_FILES - set(attested.subjects))
        if (folder / name).exists()
    ]
    if problems:
        return VerificationCheck.failed("subjects", "; ".join(problems))
    return VerificationCheck.passed(
        "subjects", f"{len(attested.subjects)} report files match: {', '.join(attested.subjects)}"
    )


def _failed(reason: str) -> AttestationFindings:
    return AttestationFindings(VerificationCheck.failed("attestation", reason), None)
