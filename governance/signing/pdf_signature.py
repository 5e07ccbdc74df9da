"""The PAdES baseline B-B signature of `report.pdf`.

pyHanko appends the signature as an incremental update, so the deterministic unsigned PDF stays
a byte prefix of the signed one, and the signature covers the whole file. B-B carries no trusted
timestamp (that needs a reachable TSA); a document timestamp can be added later for B-LTA.

The signed file stays PDF/A-3u (ISO 19005-3), which pyHanko alone would break twice: for an
ECDSA or EdDSA key it raises the catalog's version to PDF 2.0 (to declare the ISO/TS 32002
extension), while PDF/A-3 is PDF 1.7, where PAdES declares itself with the ESIC extension
alone; and it appends itself to the Info dictionary's producer but writes only its own name
into the XMP metadata, while PDF/A requires the two to agree. `_PdfA3Signer` and
`_PdfA3Writer` keep the version and write one producer and one modification date to both.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import (
    PDF_PRODUCER,
    VENDOR,
    XMP_MODDATE,
    XmpStructure,
    XmpValue,
)
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1 as ESIC_EXTENSION
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


class _PdfA3Signer(signers.PdfSigner):
    """Declares PAdES as PDF 1.7 does (the ESIC developer extension) and nothing that needs
    PDF 2.0, so the catalog keeps the version PDF/A-3 is based on."""

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        if pdf_out.output_version < (2, 0):
            pdf_out.register_extension(ESIC_EXTENSION)
        else:
            super().register_extensions(pdf_out, md_algorithm=md_algorithm)


class _PdfA3Writer(IncrementalPdfFileWriter):
    """An incremental update that writes the same producer ("WeasyPrint 70.0; pyHanko 0.38.0")
    and modification date (the signing time, to the second) into the Info dictionary and the
    XMP metadata, keeping every other XMP property (the PDF/A identification among them)."""

    def __init__(self, pdf: bytes, signed_at: dt.datetime) -> None:
        super().__init__(io.BytesIO(pdf))
        self._signed_at = signed_at.astimezone(dt.UTC).replace(microsecond=0)
        self._metadata: generic.IndirectObject | None = None
        # Indexing resolves the indirect reference to the stream; `get` would not.
        self._original_xmp = self.root["/Metadata"] if "/Metadata" in self.root else None  # noqa: SIM401

    def _update_meta(self) -> None:
        # pyHanko's own update (called for every write of the file) is replaced whole.
        info_reference = self._info
        previous = self._original_xmp
        if info_reference is None or not isinstance(previous, MetadataStream):
            super()._update_meta()  # type: ignore[no-untyped-call]
            return
        info = info_reference.get_object()  # type: ignore[no-untyped-call]
        producer = str(info.get("/Producer", ""))
        if VENDOR not in producer:
            producer = f"{producer}; {VENDOR}" if producer else VENDOR
        info["/Producer"] = generic.TextStringObject(producer)
        info["/ModDate"] = generic.pdf_date(self._signed_at)
        self.mark_update(info_reference)
        fields = {name: value for structure in previous.xmp for name, value in structure}
        fields[PDF_PRODUCER] = XmpValue(producer)
        fields[XMP_MODDATE] = XmpValue(self._signed_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        metadata = MetadataStream.from_xmp([XmpStructure(fields)])
        if self._metadata is None:
            self._metadata = self.add_object(metadata)
        else:
            self.objects[(self._metadata.generation, self._metadata.idnum)] = metadata
        self.root["/Metadata"] = self._metadata
        self.update_root()  # type: ignore[no-untyped-call]


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
        writer = _PdfA3Writer(pdf, dt.datetime.now(dt.UTC))
        _PdfA3Signer(metadata, signer=_pyhanko_signer(material)).sign_pdf(writer, output=output)
    except PdfError as error:
        raise InputError(f"cannot sign report.pdf: {error}") from None
    return output.getvalue()
