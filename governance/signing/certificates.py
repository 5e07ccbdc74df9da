"""X.509 certificates for report signing: make one (self-signed or a CSR for an organisation's
CA), load one, and say what keeps one from signing reports.

PDF verifiers check the signer as a document/e-mail signer: digitalSignature and
nonRepudiation key usages, and the emailProtection extended key usage (without it poppler's
`pdfsig` reports "Unknown issue with Certificate").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from governance.errors import InputError, SourceLocation, UsageError
from governance.signing.keys import PublicKey, SigningKey, key_type_name, public_key_der

_SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,  # nonRepudiation
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,63}")
# A certificate backdated a little so a verifier whose clock lags still accepts it.
_CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class SignerIdentity:
    common_name: str
    organization: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        # X.509 upper bounds (RFC 5280): 64 characters for CN and O; e-mail must be ASCII.
        if not 1 <= len(self.common_name.strip()) <= 64:
            raise UsageError("the signer name must be 1 to 64 characters")
        if self.organization is not None and not 1 <= len(self.organization) <= 64:
            raise UsageError("the organisation must be 1 to 64 characters")
        if self.email is not None and not _EMAIL.fullmatch(self.email):
            raise UsageError(
                f"'{self.email}' is not an e-mail address this tool can put in a certificate",
                hint="use an ASCII address such as audit@example.com",
            )

    def name(self) -> x509.Name:
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, self.common_name)]
        if self.organization:
            attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organization))
        if self.email:
            attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, self.email))
        return x509.Name(attributes)

    def extensions(self) -> list[tuple[x509.ExtensionType, bool]]:
        """(extension, critical) pairs every report-signing certificate carries."""
        extensions: list[tuple[x509.ExtensionType, bool]] = [
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (_SIGNING_USAGE, True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False),
        ]
        if self.email:
            extensions.append((x509.SubjectAlternativeName([x509.RFC822Name(self.email)]), False))
        return extensions


def self_signed_certificate(
    key: SigningKey, identity: SignerIdentity, *, days: int, now: dt.datetime | None = None
) -> x509.Certificate:
    start = (now or dt.datetime.now(dt.UTC)) - _CLOCK_SKEW
    builder = (
        x509.CertificateBuilder()
        .subject_name(identity.name())
        .issuer_name(identity.name())
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    for extension, critical in identity.extensions():
        builder = builder.add_extension(extension, critical)
    return builder.sign(key, hashes.SHA256())


def signing_request(key: SigningKey, identity: SignerIdentity) -> x509.CertificateSigningRequest:
    """A CSR asking an organisation's CA for a certificate with the usages reports need."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(identity.name())
    for extension, critical in identity.extensions():
        builder = builder.add_extension(extension, critical)
    return builder.sign(key, hashes.SHA256())


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def load_certificates(path: Path, what: str = "certificate") -> tuple[x509.Certificate, ...]:
    """Every certificate in a PEM (or single DER) file, in file order; at least one."""
    location = SourceLocation(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the {what}: {error.strerror}", location=location) from None
    try:
        if b"-----BEGIN" in data:
            certificates = tuple(x509.load_pem_x509_certificates(data))
        else:
            certificates = (x509.load_der_x509_certificate(data),)
        for certificate in certificates:
            _parse_fields(certificate)
    except (ValueError, UnsupportedAlgorithm, *_MALFORMED):
        raise InputError(
            f"not a valid {what}", location=location, hint="expected a PEM or DER X.509 file"
        ) from None
    return certificates


_MALFORMED = (x509.InvalidVersion, x509.DuplicateExtension, x509.UnsupportedGeneralNameType)
"""What cryptography raises, besides ValueError, on a malformed certificate."""


def _parse_fields(certificate: x509.Certificate) -> None:
    """Parse what verification reads: cryptography parses a certificate's fields only when
    they are first read, so a mangled subject or key would raise there, long after loading."""
    certificate.subject.rfc4514_string()
    certificate.issuer.rfc4514_string()
    certificate.public_key()
    _ = (certificate.not_valid_before_utc, certificate.not_valid_after_utc)
    for _extension in certificate.extensions:
        pass


def public_key_of(certificate: x509.Certificate) -> PublicKey:
    key = certificate.public_key()
    if not isinstance(key, PublicKey):
        raise InputError(
            f"unsupported public key type {key_type_name(key)} in certificate "
            f"{subject_of(certificate)} (reports are signed with ECDSA or RSA keys)"
        )
    return key


def subject_of(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string({NameOID.EMAIL_ADDRESS: "E"})


def key_matches(key: SigningKey, certificate: x509.Certificate) -> bool:
    return public_key_der(key.public_key()) == public_key_der(certificate.public_key())


def signing_problems(certificate: x509.Certificate, at: dt.datetime) -> tuple[str, ...]:
    """Why `certificate` cannot sign reports at time `at` (empty when it can)."""
    problems = list(_weak_key_problem(certificate.public_key()))
    if at < certificate.not_valid_before_utc:
        problems.append(f"not valid before {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
    if at > certificate.not_valid_after_utc:
        problems.append(f"expired on {certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.digital_signature:
            problems.append("lacks the digitalSignature key usage")
        if not usage.content_commitment:
            problems.append("lacks the nonRepudiation key usage")
    except x509.ExtensionNotFound:
        problems.append("has no key usage extension (needs digitalSignature, nonRepudiation)")
    try:
        extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.EMAIL_PROTECTION not in extended:
            problems.append("lacks the emailProtection extended key usage")
    except x509.ExtensionNotFound:
        problems.append("has no extended key usage extension (needs emailProtection)")
    return tuple(problems)


def _weak_key_problem(key: CertificatePublicKeyTypes) -> tuple[str, ...]:
    """A key weaker than those reports are signed with (RSA-2048, ECDSA P-256) can be broken:
    a signature it makes proves nothing, whoever issued its certificate."""
    match key:
        case rsa.RSAPublicKey() if key.key_size < 2048:
            kind, bits = "RSA", key.key_size
        case ec.EllipticCurvePublicKey() if key.key_size < 256:
            kind, bits = "elliptic-curve", key.key_size
        case _:
            return ()
    return (f"has a {bits}-bit {kind} key, too weak to sign reports",)
