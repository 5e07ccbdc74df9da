"""Sign the report files the audit wrote: the PDF in place, then an attestation over them all."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from governance.engine.result import AuditResult
from governance.errors import OutputError, SourceLocation, UsageError
from governance.hashing import file_sha256
from governance.report_files import write_report_files
from governance.signing.attestation import (
    ATTESTATION_FILE,
    PAYLOAD_TYPE,
    PDF_REPORT,
    SIGNER_FILE,
    statement_bytes,
)
from governance.signing.certificates import certificate_pem
from governance.signing.dsse import sign_envelope
from governance.signing.material import SigningMaterial
from governance.signing.pdf_signature import sign_pdf


def sign_report(
    folder: Path, written: Sequence[Path], result: AuditResult, material: SigningMaterial
) -> tuple[Path, ...]:
    """Sign `report.pdf` when it was written, then attest every written file (the signed PDF
    included). Writes the attestation and the signer's certificate chain beside the reports
    and returns their paths."""
    if not written:
        raise UsageError(
            "--sign needs a report file to sign", hint="add a file format, e.g. --format json"
        )
    pdf = folder / PDF_REPORT
    if pdf in written:
        try:
            unsigned = pdf.read_bytes()
        except OSError as error:
            raise OutputError(
                f"cannot read the report to sign it: {error.strerror}",
                location=SourceLocation(pdf),
            ) from None
        write_report_files(folder, {PDF_REPORT: sign_pdf(unsigned, material)})
    subjects = {path.name: file_sha256(path)[0] for path in written}
    envelope = sign_envelope(statement_bytes(result, subjects), PAYLOAD_TYPE, material.key)
    chain_pem = b"".join(certificate_pem(c) for c in material.certificates)
    return write_report_files(
        folder,
        {
            SIGNER_FILE: chain_pem,
            ATTESTATION_FILE: json.dumps(envelope, separators=(",", ":")) + "\n",
        },
    )
