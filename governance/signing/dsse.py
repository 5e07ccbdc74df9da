"""DSSE envelopes (https://github.com/secure-systems-lab/dsse): sign and verify a payload.

The signature is over the pre-authentication encoding
`PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body`, never over the JSON, so the
envelope verifies with securesystemslib and other DSSE implementations.
ECDSA P-256 signatures are DER-encoded over SHA-256 (securesystemslib's
`ecdsa-sha2-nistp256`); RSA uses PSS with SHA-256 (`rsassa-pss-sha256`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from governance.json_documents import MalformedJson, loads_strict
from governance.signing.keys import PublicKey, SigningKey, key_type_name, public_key_der


class EnvelopeError(ValueError):
    """The envelope is malformed or its signature does not verify."""


def pae(payload_type: str, payload: bytes) -> bytes:
    encoded_type = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(encoded_type), encoded_type, len(payload), payload)


def key_id(public_key: PublicKey) -> str:
    """sha256 of the DER SubjectPublicKeyInfo: anyone holding the certificate can recompute it."""
    return hashlib.sha256(public_key_der(public_key)).hexdigest()


def _sign(key: SigningKey, message: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(message, ec.ECDSA(hashes.SHA256()))
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
    return key.sign(message, pss, hashes.SHA256())


def _verify(key: PublicKey, signature: bytes, message: bytes) -> None:
    """Returns only when `signature` verifies; any key type not handled here fails, so a
    new member of `PublicKey` can never pass unverified."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPublicKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
        key.verify(signature, message, pss, hashes.SHA256())
    else:
        raise EnvelopeError(f"unsupported public key type {key_type_name(key)}")


def _envelope(payload: bytes, payload_type: str, keyid: str, signature: bytes) -> dict[str, Any]:
    """The envelope as this tool writes it: these keys, in this order, one signature."""
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [{"keyid": keyid, "sig": base64.b64encode(signature).decode("ascii")}],
    }


def sign_envelope(payload: bytes, payload_type: str, key: SigningKey) -> dict[str, Any]:
    signature = _sign(key, pae(payload_type, payload))
    return _envelope(payload, payload_type, key_id(key.public_key()), signature)


def envelope_line(envelope: dict[str, Any]) -> str:
    """The envelope's one line in the attestation file (compact JSON, keys in order)."""
    return json.dumps(envelope, separators=(",", ":"))


@dataclass(frozen=True)
class VerifiedPayload:
    payload_type: str
    payload: bytes
    envelope: dict[str, Any]
    """The envelope as the signer wrote it: the payload and the one signature that verified."""


def parse_envelope_line(text: str) -> dict[str, Any]:
    """The one envelope of an attestation file: exactly one line of JSON (one final newline
    allowed). Anything else — a second envelope appended, a blank or indented line, a
    duplicated key — fails, so no reader can be shown another envelope than the one verified."""
    if not text.strip():
        raise EnvelopeError("the attestation file is empty")
    line = text.removesuffix("\n")
    if "\n" in line or "\r" in line:
        raise EnvelopeError("the attestation file must hold exactly one envelope on one line")
    if line != line.strip():
        raise EnvelopeError("the attestation line has leading or trailing white space")
    try:
        envelope = loads_strict(line)
    except MalformedJson as problem:
        raise EnvelopeError(f"the attestation {problem.reason}") from None
    if not isinstance(envelope, dict):
        raise EnvelopeError("the attestation is not a DSSE envelope (a JSON object)")
    return envelope


def verify_envelope(envelope: dict[str, Any], public_key: PublicKey) -> VerifiedPayload:
    """The payload, when a signature by `public_key` verifies over it; else `EnvelopeError`."""
    try:
        payload = base64.b64decode(envelope["payload"], validate=True)
        payload_type = envelope["payloadType"]
        signatures = envelope["signatures"]
    except (KeyError, TypeError, ValueError):  # ValueError: binascii.Error, or non-ASCII text
        raise EnvelopeError("the DSSE envelope is malformed") from None
    if not isinstance(payload_type, str) or not isinstance(signatures, list):
        raise EnvelopeError("the DSSE envelope is malformed")
    wanted = key_id(public_key)
    for entry in signatures:
        if not isinstance(entry, dict) or entry.get("keyid") not in (wanted, None, ""):
            continue
        try:
            _verify(
                public_key,
                base64.b64decode(entry.get("sig", ""), validate=True),
                pae(payload_type, payload),
            )
        except EnvelopeError:
            raise  # an unsupported key: no signature can verify, say why
        except (InvalidSignature, binascii.Error, TypeError, ValueError):
            continue
        signature = base64.b64decode(entry["sig"], validate=True)
        return VerifiedPayload(
            payload_type, payload, _envelope(payload, payload_type, wanted, signature)
        )
    raise EnvelopeError("no signature in the envelope verifies with the signer's public key")


def verify_envelope_line(text: str, public_key: PublicKey) -> VerifiedPayload:
    """The payload of an attestation file, when it is exactly the envelope its signer wrote:
    one signature by `public_key`, nothing else. The file is the one no subject digest
    covers, so any other byte (a key or a second signature added, the same JSON spaced or
    escaped differently) is text no signature vouches for, and fails."""
    verified = verify_envelope(parse_envelope_line(text), public_key)
    if envelope_line(verified.envelope) != text.removesuffix("\n"):
        raise EnvelopeError(
            "the attestation holds more than the signed envelope, or holds it differently "
            "written (extra keys or signatures, spacing, escapes)"
        )
    return verified
