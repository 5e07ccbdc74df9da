"""The PDF signature is an incremental update over the unsigned, deterministic PDF."""

from __future__ import annotations

from governance.signing.pdf_signature import sign_pdf
from tests.signing.report_factory import KeyFiles


def test_the_unsigned_pdf_stays_a_byte_prefix_of_the_signed_one(
    report_pdf: bytes, signer: KeyFiles
) -> None:
    signed = sign_pdf(report_pdf, signer.material)
    assert signed.startswith(report_pdf)
    update = signed[len(report_pdf) :]
    assert b"/ETSI.CAdES.detached" in update and b"AuditReportSignature" in update
