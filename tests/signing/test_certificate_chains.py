"""A signer certified by an organisation's CA through an intermediate: `--trust ROOT` holds for
the report folder (chain in signer.pem) and for the PDF alone (chain embedded in the signature)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from governance.engine.result import AuditResult
from governance.signing.certificates import SignerIdentity
from governance.signing.material import SigningMaterial
from governance.signing.verification.outcome import CheckStatus
from governance.signing.verification.report_verification import verify_report
from tests.signing.report_factory import write_signed_report

Authority = tuple[ec.EllipticCurvePrivateKey, x509.Certificate]
_NOW = dt.datetime.now(dt.UTC)


def _issue(
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    issuer: Authority | None,
    own_key: ec.EllipticCurvePrivateKey,
) -> x509.CertificateBuilder:
    signer_key, signer_cert = issuer if issuer else (own_key, None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer_cert.subject if signer_cert else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOW - dt.timedelta(days=1))
        .not_valid_after(_NOW + dt.timedelta(days=365))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()), False
        )
    )
    return builder


def _authority(name: str, issuer: Authority | None) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    certificate = (
        _issue(subject, key.public_key(), issuer, key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(usage, True)
        .sign(issuer[0] if issuer else key, hashes.SHA256())
    )
    return key, certificate


def _signer(issuer: Authority, chain: tuple[x509.Certificate, ...]) -> SigningMaterial:
    key = ec.generate_private_key(ec.SECP256R1())
    identity = SignerIdentity("Compliance Officer", organization="Acme")
    builder = _issue(identity.name(), key.public_key(), issuer, key)
    for extension, critical in identity.extensions():
        builder = builder.add_extension(extension, critical)
    return SigningMaterial(key, builder.sign(issuer[0], hashes.SHA256()), chain)


def test_a_report_signed_through_an_intermediate_ca_chains_to_the_root(
    tmp_path: Path, example_result: tuple[Path, AuditResult], report_pdf: bytes
) -> None:
    root = _authority("Acme Root CA", None)
    intermediate = _authority("Acme Audit Signing CA", root)
    material = _signer(intermediate, (intermediate[1],))
    folder = write_signed_report(tmp_path / "report", example_result[1], material, report_pdf)
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(root[1].public_bytes(serialization.Encoding.PEM))

    whole = verify_report(folder, trust=root_pem)
    assert whole.holds, whole
    alone = verify_report(folder / "report.pdf", trust=root_pem)
    assert alone.holds, alone

    stranger = _authority("Stranger Root CA", None)
    stranger_pem = tmp_path / "stranger.pem"
    stranger_pem.write_bytes(stranger[1].public_bytes(serialization.Encoding.PEM))
    rejected = verify_report(folder, trust=stranger_pem)
    assert {c.name: c.status for c in rejected.checks}["trust"] is CheckStatus.FAILED
