"""The PAdES baseline B-B signature of `report.pdf`.

pyHanko appends the signature as an incremental update, so the deterministic unsigned PDF stays
a byte prefix of the signed one, and the signature covers the whole file. B-B carries no trusted
timestamp (that needs a reachable TSA); a document timestamp can be added later for B-LTA.
"""

from __future__ import annotations

import io
from typing import Any

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from governance.errors import InputError
from governance.signing.asn1_conversion import asn1_certificate
from governance.signing.material import SigningMaterial

SIGNATURE_FIELD = "AuditReportSignature"


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the key already loaded: its own `sign_raw` parses
    the key again on every call, which for RSA-3072 costs ~0.17 s (twice per signature)."""

    def __init__(self, material: SigningMaterial, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = material.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mechanism = None
        if digest_algorithm == "sha256":
            if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
                return self._key.sign(data, ec.ECDSA(hashes.SHA256()))
            if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
                return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return bytes(super().sign_raw(data, digest_algorithm))


def _pyhanko_signer(material: SigningMaterial) -> signers.SimpleSigner:
    key_der = material.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _LoadedKeySigner(
        material,
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
