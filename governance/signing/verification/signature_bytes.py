"""Every byte of a signed PDF bound by its signature.

pyHanko checks the digest over the signed byte ranges and the CMS signature over the signed
attributes, but nothing digests the `/Contents` hex string between the ranges: a changed padding
digit, a changed letter case, or a changed byte in an embedded certificate all still validate.
These checks close that gap, so that a file differing from the signed one in any byte fails:
- the byte ranges are `[0, a, b, c]` and the gap `a..b` is exactly the `/Contents` hex string
  (that they reach the end of the file, `b + c = n`, is the coverage check);
- that string is the canonical hex (one letter case) of the DER-encoded CMS blob followed only by
  zero padding, and the blob is the DER re-encoding of what it parses to;
- the signer's certificate is the one its signed ESS signing-certificate attribute hashes
  (pyHanko checks that one);
- every embedded certificate is the signer's or one on its issuance chain (each signed the one
  below it, which binds its name and key; its other bytes are bound by the one above it, by its
  own signature when self-signed, or, for the top one issued outside the file, by the trust
  check), and any copy is byte for byte the same;
- no unsigned attribute rides along.
"""

from __future__ import annotations

import re

from asn1crypto import cms, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

_HEX = re.compile(rb"[0-9A-Fa-f]*")


def unbound_bytes(data: bytes, signature: EmbeddedPdfSignature) -> str | None:
    """Why some byte of `data` is not bound by `signature`, or None when every byte is."""
    contents = _contents_string(data, signature.byte_range)
    if isinstance(contents, str):
        return contents
    return (
        _canonical_contents_problem(contents, bytes(signature.pkcs7_content))
        or _unsigned_attributes_problem(signature)
        or _chain_binding_problem(signature)
    )


def _contents_string(data: bytes, byte_range: object) -> bytes | str:
    try:
        start, first, second, rest = (int(value) for value in byte_range)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return "the signature's /ByteRange is not four numbers"
    # Whether the ranges reach the end of the file is the coverage check's to say.
    if start != 0 or not 0 < first < second <= len(data) or second + rest > len(data):
        return "the signed byte ranges do not enclose the signature"
    if data[first : first + 1] != b"<" or data[second - 1 : second] != b">":
        return "the unsigned gap is not exactly the signature's /Contents string"
    return data[first + 1 : second - 1]


def _canonical_contents_problem(contents: bytes, validated: bytes) -> str | None:
    """`contents`: the hex string in the gap; `validated`: the /Contents value pyHanko read."""
    if len(contents) % 2 or not _HEX.fullmatch(contents):
        return "the signature's /Contents is not a plain hex string"
    decoded = bytes.fromhex(contents.decode("ascii"))
    if decoded != validated:
        return "the unsigned gap is not the signature's /Contents string"
    try:
        _, _, _, header, body, trailer = parser.parse(decoded, strict=False)
        blob_length = len(header) + len(body) + len(trailer)
        blob = decoded[:blob_length]
        canonical = cms.ContentInfo.load(blob).dump(force=True)
    except (ValueError, TypeError):
        return "the signature's /Contents is not a DER-encoded CMS signature"
    if canonical != blob:
        return "the CMS signature is not in its canonical DER encoding"
    if decoded[blob_length:].strip(b"\0"):
        return "bytes other than zero padding follow the CMS signature in /Contents"
    expected = decoded.hex()
    if contents.decode("ascii") not in (expected, expected.upper()):
        return "the signature's /Contents hex string mixes letter cases"
    return None


def _unsigned_attributes_problem(signature: EmbeddedPdfSignature) -> str | None:
    # Report signatures carry none; any would be bytes that no signature covers.
    if signature.signer_info["unsigned_attrs"].native:
        return "the signature carries unsigned attributes"
    return None


def _chain_binding_problem(signature: EmbeddedPdfSignature) -> str | None:
    # Every entry of the CMS certificate set, read here rather than through pyHanko, which
    # leaves out any entry sharing the signer's issuer and serial number: a tampered copy of
    # the signer's certificate would then go unseen.
    choices = signature.signed_data["certificates"]
    if any(choice.name != "certificate" for choice in choices):
        return "the signature embeds something other than X.509 certificates"
    embedded = [_loaded(choice.chosen) for choice in choices]
    chain = _issuance_chain(_loaded(signature.signer_cert), embedded)
    stray = [c for c in embedded if c not in chain]  # equality is byte for byte (DER)
    if stray:
        return (
            "an embedded certificate is not on the signer's chain or was altered "
            f"({stray[0].subject.rfc4514_string()})"
        )
    top = chain[-1]
    if top.issuer == top.subject and not _issued_by(top, top):
        return (
            "an embedded certificate's own signature does not verify "
            f"({top.subject.rfc4514_string()})"
        )
    return None


def _issuance_chain(
    signer: x509.Certificate, embedded: list[x509.Certificate]
) -> list[x509.Certificate]:
    """The signer, then each embedded certificate that signed the one before: a certificate's
    name and key are bound by the signature it made, the rest of it by its issuer's."""
    chain = [signer]
    while chain[-1].issuer != chain[-1].subject:  # a self-issued certificate ends the chain
        issuer = next(
            (c for c in embedded if not _same_identity(c, chain[-1]) and _issued_by(chain[-1], c)),
            None,
        )
        if issuer is None or issuer in chain:
            return chain
        chain.append(issuer)
    return chain


def _same_identity(first: x509.Certificate, second: x509.Certificate) -> bool:
    """Same name and key: a copy (possibly altered) of one certificate, never its issuer."""
    return first.subject == second.subject and first.public_key() == second.public_key()


def _loaded(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
