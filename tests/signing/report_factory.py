"""Real keys, certificates, PDFs and signed report folders for the signing tests, made with
the code under test (no fixtures here: `conftest.py` holds those)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

from governance.engine.result import AuditResult
from governance.render.json_report import render_json
from governance.render.markdown_summary import render_markdown
from governance.report_folder.publishing import publish_reports
from governance.signing.certificates import SignerIdentity, certificate_pem, self_signed_certificate
from governance.signing.keys import (
    KeyAlgorithm,
    SigningKey,
    generate_private_key,
    private_key_pem,
    write_secret_file,
)
from governance.signing.material import SigningMaterial
from governance.signing.report_signing import sign_report_files

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hiring"


def make_pdf(title: str) -> bytes:
    """A small real PDF; stands in for the report renderer's report.pdf."""
    html = f"<html><body><h1>{title}</h1><p>Audit verdict and evidence.</p></body></html>"
    return bytes(weasyprint.HTML(string=html).write_pdf())


@dataclass(frozen=True)
class KeyFiles:
    key: Path
    cert: Path
    material: SigningMaterial


def make_key_files(
    folder: Path,
    name: str,
    *,
    algorithm: KeyAlgorithm = KeyAlgorithm.ECDSA_P256,
    now: dt.datetime | None = None,
    days: int = 30,
) -> KeyFiles:
    folder.mkdir(parents=True, exist_ok=True)
    key = generate_private_key(algorithm)
    certificate = self_signed_certificate(key, SignerIdentity(name), days=days, now=now)
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    write_secret_file(key_path, private_key_pem(key, None))
    cert_path.write_bytes(certificate_pem(certificate))
    return KeyFiles(key_path, cert_path, SigningMaterial(key, certificate))


def certificate_without_usages(key: SigningKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


def ed25519_certificate(name: str) -> x509.Certificate:
    """A self-signed certificate with a key type reports are never signed with."""
    key = ed25519.Ed25519PrivateKey.generate()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, None)  # Ed25519 signs without a separate digest
    )


def write_signed_report(
    folder: Path, result: AuditResult, material: SigningMaterial, pdf: bytes | None
) -> Path:
    files: dict[str, str | bytes] = {
        "audit.json": render_json(result),
        "summary.md": render_markdown(result),
    }
    if pdf is not None:
        files["report.pdf"] = pdf
    publish_reports(folder, sign_report_files(files, result, material))
    return folder


@dataclass(frozen=True)
class Workspace:
    """A copy of the hiring example and its signed report, private to one test."""

    manifest: Path
    report: Path
    signer: KeyFiles

    @property
    def pdf(self) -> Path:
        return self.report / "report.pdf"
