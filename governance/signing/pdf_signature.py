"""The PAdES baseline B-B signature of `report.pdf`.

pyHanko appends the signature as an incremental update, so the deterministic unsigned PDF stays
a byte prefix of the signed one, and the signature covers the whole file. B-B carries no trusted
timestamp (that needs a reachable TSA); a document timestamp can be added later for B-LTA.
"""

from __future__ import annotations

import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from governance.errors import InputError
from governance.signing.material import SigningMaterial

SIGNATURE_FIELD = "AuditReportSignature"


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _pyhanko_signer(material: SigningMaterial) -> signers.SimpleSigner:
    key_der = material.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(material.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_certificate(c) for c in material.certificates]
        ),
    )


def sign_pdf(pdf: bytes, material: SigningMaterial, *, reason: str = "Audit report") -> bytes:
    """`pdf` with a PAdES B-B signature appended as an incremental update."""
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
    )
    output = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signers.sign_pdf(writer, metadata, signer=_pyhanko_signer(material), output=output)
    except PdfError as error:
        raise InputError(f"cannot sign report.pdf: {error}") from None
    return output.getvalue()
