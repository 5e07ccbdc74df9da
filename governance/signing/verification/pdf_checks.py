"""Checks on the PDF signature: intact, covering the whole file, nothing changed after it."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from governance.signing.verification.outcome import VerificationCheck
from governance.signing.verification.signature_bytes import unbound_bytes


@dataclass(frozen=True)
class PdfSignatureFindings:
    checks: tuple[VerificationCheck, ...]
    signer: x509.Certificate | None
    """The certificate that signed the PDF, when a signature could be read."""
    embedded: tuple[x509.Certificate, ...] = ()
    """Other certificates in the signature (the chain embedded with `--chain`)."""


def check_pdf_signature(name: str, data: bytes) -> PdfSignatureFindings:
    """Integrity and coverage of the (single) signature in `data`. Trust in the signer is
    judged separately, against the user's trusted certificate."""
    try:
        with _pyhanko_muted():
            signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # any parse failure of a signed file means it cannot verify
        return _unreadable(name, f"cannot read the PDF ({type(error).__name__})")
    if not signatures:
        return _unreadable(name, "the PDF carries no signature")
    if len(signatures) > 1:
        return _unreadable(name, f"the PDF carries {len(signatures)} signatures, expected one")
    signature = signatures[0]
    try:
        status = _quietly_validate(signature)
    except Exception as error:  # a mangled signature dictionary or CMS blob
        return _unreadable(name, f"cannot validate the signature ({type(error).__name__})")
    try:
        signer = x509.load_der_x509_certificate(signature.signer_cert.dump())
        embedded = tuple(
            x509.load_der_x509_certificate(c.dump()) for c in signature.other_embedded_certs
        )
    except ValueError:  # parsed leniently by pyHanko, but not a valid certificate
        return _unreadable(name, "an embedded certificate is malformed")
    integrity = _integrity(name, data, signature, status)
    return PdfSignatureFindings((integrity, _coverage(name, status)), signer, embedded)


def _integrity(
    name: str, data: bytes, signature: EmbeddedPdfSignature, status: PdfSignatureStatus
) -> VerificationCheck:
    if not status.intact:
        return VerificationCheck.failed(
            "pdf-signature", f"{name}: the signed bytes do not match the signature"
        )
    if not status.valid:
        return VerificationCheck.failed(
            "pdf-signature", f"{name}: the signature does not verify with the signer's key"
        )
    try:
        problem = unbound_bytes(data, signature)
    except Exception as error:  # a CMS structure pyHanko accepted but the checks cannot read
        problem = f"cannot read the signature's structure ({type(error).__name__})"
    if problem is not None:
        return VerificationCheck.failed("pdf-signature", f"{name}: {problem}")
    return VerificationCheck.passed("pdf-signature", f"{name}: signature intact and valid")


def _coverage(name: str, status: PdfSignatureStatus) -> VerificationCheck:
    coverage = status.coverage
    level = status.modification_level
    if coverage is SignatureCoverageLevel.ENTIRE_FILE and level is ModificationLevel.NONE:
        return VerificationCheck.passed(
            "pdf-coverage", f"{name}: covers the whole file, no later modification"
        )
    if coverage is SignatureCoverageLevel.ENTIRE_REVISION:
        what = (
            "bytes were appended after the signature"
            if level in (None, ModificationLevel.NONE)
            else "an incremental update was appended "
            f"({level.name.lower().replace('_', ' ')} changes)"
        )
        return VerificationCheck.failed("pdf-coverage", f"{name}: modified after signing: {what}")
    return VerificationCheck.failed(
        "pdf-coverage", f"{name}: the signature does not cover the whole file"
    )


def _quietly_validate(signature: EmbeddedPdfSignature) -> PdfSignatureStatus:
    with _pyhanko_muted():
        context = ValidationContext(trust_roots=[], allow_fetching=False)
        return validate_pdf_signature(signature, context)


@contextlib.contextmanager
def _pyhanko_muted() -> Iterator[None]:
    # pyHanko logs tracebacks, which Python prints on the terminal: when it cannot build a
    # trust path (trust is judged elsewhere) and when it skips a signature whose SubFilter it
    # does not know (the check then fails on its own terms).
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, previous, strict=True):
            logger.setLevel(level)


def _unreadable(name: str, reason: str) -> PdfSignatureFindings:
    return PdfSignatureFindings(
        (
            VerificationCheck.failed("pdf-signature", f"{name}: {reason}"),
            VerificationCheck.skipped("pdf-coverage", f"{name}: no valid signature to inspect"),
        ),
        None,
    )
