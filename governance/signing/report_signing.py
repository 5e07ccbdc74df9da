"""Signing a rendered report set in memory: the PDF gets its signature, and an attestation
over every file (the signed PDF included) joins them, before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from governance.engine.result import AuditResult
from governance.errors import UsageError
from governance.report_folder.index import INDEX_FILE, index_bytes
from governance.signing.attestation import (
    ATTESTATION_FILE,
    PAYLOAD_TYPE,
    PDF_REPORT,
    SIGNER_FILE,
    statement_bytes,
)
from governance.signing.certificates import certificate_pem
from governance.signing.dsse import envelope_line, sign_envelope
from governance.signing.material import SigningMaterial
from governance.signing.pdf_signature import sign_pdf


def sign_report_files(
    files: Mapping[str, str | bytes], result: AuditResult, material: SigningMaterial
) -> dict[str, bytes]:
    """The report files with `report.pdf` signed, plus the signer's certificate chain, the
    folder's index and the attestation. Every file but the attestation is one of its subjects,
    so every file of the folder is bound to the signature. Written together, so a failure
    leaves no unsigned or partial set."""
    if not files:
        raise UsageError(
            "--sign needs a report file to sign", hint="add a file format, e.g. --format json"
        )
    signed = {
        name: content.encode("utf-8") if isinstance(content, str) else content
        for name, content in files.items()
    }
    if PDF_REPORT in signed:
        signed[PDF_REPORT] = sign_pdf(signed[PDF_REPORT], material)
    signed[SIGNER_FILE] = b"".join(certificate_pem(c) for c in material.certificates)
    signed[INDEX_FILE] = index_bytes([*signed, ATTESTATION_FILE])
    subjects = {name: hashlib.sha256(content).hexdigest() for name, content in signed.items()}
    envelope = sign_envelope(statement_bytes(result, subjects), PAYLOAD_TYPE, material.key)
    signed[ATTESTATION_FILE] = (envelope_line(envelope) + "\n").encode()
    return signed
