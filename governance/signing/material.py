"""The key, certificate and chain a report is signed with, checked before the audit runs so a
bad key stops the command before any report is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from governance.errors import InputError, SourceLocation
from governance.signing.certificates import (
    key_matches,
    load_certificates,
    signing_problems,
    subject_of,
)
from governance.signing.keys import SigningKey, load_private_key


@dataclass(frozen=True)
class SigningMaterial:
    key: SigningKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    """Intermediate and CA certificates, embedded so verifiers can build the path."""

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        return (self.certificate, *self.chain)


def load_signing_material(
    key_path: Path,
    certificate_path: Path,
    chain_paths: tuple[Path, ...] = (),
    *,
    passphrase: bytes | None = None,
    now: dt.datetime | None = None,
) -> SigningMaterial:
    key = load_private_key(key_path, passphrase)
    certificate, *extra = load_certificates(certificate_path)
    chain = tuple(extra) + tuple(c for p in chain_paths for c in load_certificates(p, "chain"))
    location = SourceLocation(certificate_path)
    if not key_matches(key, certificate):
        raise InputError(
            f"the certificate ({subject_of(certificate)}) is not for the key {key_path}",
            location=location,
        )
    problems = signing_problems(certificate, now or dt.datetime.now(dt.UTC))
    if problems:
        raise InputError(
            f"the certificate cannot sign reports: it {'; it '.join(problems)}",
            location=location,
            hint="create one with `governance keys init`",
        )
    return SigningMaterial(key=key, certificate=certificate, chain=chain)
