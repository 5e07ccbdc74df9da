"""Checks on the signer's certificate: fit for signing reports now, and chaining to the
certificate the user trusts."""

from __future__ import annotations

import asyncio
import datetime as dt

from cryptography import x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    InvalidCertificateError,
    PathBuildingError,
    PathError,
    ValidationError,
)

from governance.signing.asn1_conversion import asn1_certificate
from governance.signing.certificates import signing_problems, subject_of
from governance.signing.verification.outcome import VerificationCheck


def check_certificate(signer: x509.Certificate, now: dt.datetime) -> VerificationCheck:
    problems = signing_problems(signer, now)
    if problems:
        return VerificationCheck.failed(
            "certificate", f"{subject_of(signer)} {'; '.join(problems)}"
        )
    return VerificationCheck.passed(
        "certificate",
        f"{subject_of(signer)}, valid until {signer.not_valid_after_utc:%Y-%m-%d}, "
        "usages digitalSignature, nonRepudiation, emailProtection",
    )


def check_trust(
    signer: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    anchors: tuple[x509.Certificate, ...] | None,
    *,
    allow_untrusted: bool = False,
) -> VerificationCheck:
    """Whether the signer chains to one of `anchors`. Without anchors (no --trust) nothing ties
    the signature to anyone: anyone can make a key, alter a report and re-sign it consistently,
    so this fails unless the user asked for an integrity-only check (`allow_untrusted`)."""
    if anchors is None:
        if allow_untrusted:
            return VerificationCheck.skipped(
                "trust",
                f"--allow-untrusted: who signed is not checked; {subject_of(signer)} is only "
                "the name the signer's own certificate claims",
            )
        return VerificationCheck.failed(
            "trust",
            "no --trust given: nothing establishes who signed this report (name the signer's "
            "or its CA's certificate with --trust, or pass --allow-untrusted to check "
            "integrity only)",
        )
    context = ValidationContext(
        trust_roots=[asn1_certificate(a) for a in anchors],
        other_certs=[asn1_certificate(c) for c in chain],
        allow_fetching=False,
    )
    validator = CertificateValidator(asn1_certificate(signer), validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except (PathBuildingError, InvalidCertificateError):
        # no path to an anchor (a self-signed signer that is not the anchor lands here too)
        return VerificationCheck.failed(
            "trust", f"{subject_of(signer)} does not chain to the trusted certificate"
        )
    except (PathError, ValidationError) as error:
        return VerificationCheck.failed("trust", f"{subject_of(signer)} is not trusted: {error}")
    return VerificationCheck.passed(
        "trust", f"{subject_of(signer)} chains to the trusted certificate"
    )
