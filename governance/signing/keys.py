"""Keys: generate, write (mode 0600, optionally encrypted) and load private keys; encode and
name public keys.

A key is never printed or logged; errors name the file, never its content.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from governance.errors import InputError, OutputError, SourceLocation
from governance.signing.key_settings import PASSPHRASE_VARIABLE as PASSPHRASE_VARIABLE
from governance.signing.key_settings import KeyAlgorithm as KeyAlgorithm

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


def public_key_der(public_key: CertificatePublicKeyTypes) -> bytes:
    """The key's DER SubjectPublicKeyInfo, as a certificate carries it: the one encoding both
    DSSE key ids and key-to-certificate matching compare."""
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_type_name(key: object) -> str:
    """`Ed25519` for an Ed25519PublicKey: how errors name a key type this tool cannot use."""
    return type(key).__name__.removesuffix("PublicKey").removesuffix("PrivateKey")


def generate_private_key(algorithm: KeyAlgorithm) -> SigningKey:
    match algorithm:
        case KeyAlgorithm.ECDSA_P256:
            return ec.generate_private_key(ec.SECP256R1())
        case KeyAlgorithm.RSA_3072:
            return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def private_key_pem(key: SigningKey, passphrase: bytes | None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def write_secret_file(path: Path, data: bytes) -> None:
    """Write `data` readable by its owner only (0600), atomically: the file is created 0600 by
    `mkstemp`, so the secret is never readable by others, not even for an instant."""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise OutputError(
            f"cannot write the key: {error.strerror}", location=SourceLocation(path)
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write the key: {error.strerror}", location=SourceLocation(path)
        ) from None


def load_private_key(path: Path, passphrase: bytes | None) -> SigningKey:
    """Load a PEM private key; a clear error (naming the file only) when it cannot be used."""
    location = SourceLocation(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the key: {error.strerror}", location=location) from None
    try:
        key = serialization.load_pem_private_key(data, password=passphrase or None)
    except TypeError:
        # cryptography raises TypeError both for "encrypted, no passphrase" and the reverse.
        if passphrase:
            raise InputError(
                "the key is not encrypted but a passphrase was given", location=location
            ) from None
        raise InputError(
            "the key is encrypted and no passphrase was given",
            location=location,
            hint=f"set {PASSPHRASE_VARIABLE} or run on a terminal to be asked for it",
        ) from None
    except ValueError:
        hint = "check the passphrase" if passphrase else "expected a PEM private key"
        raise InputError("cannot load the private key", location=location, hint=hint) from None
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size >= 2048:
        return key
    raise InputError(
        "unsupported key type: use ECDSA P-256 or RSA (2048 bits or more)", location=location
    )


def key_is_encrypted(path: Path) -> bool:
    """True when the PEM file holds an encrypted private key (read without decrypting)."""
    try:
        head = path.read_bytes()[:200]
    except OSError:
        return False
    return b"ENCRYPTED" in head
