"""`governance keys init`, `governance audit --sign` and `governance verify` through the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from typer.testing import CliRunner

from governance.cli.app import app
from governance.signing.certificates import certificate_pem
from governance.signing.keys import PASSPHRASE_VARIABLE
from tests.signing.report_factory import (
    EXAMPLE,
    Workspace,
    certificate_without_usages,
    ed25519_certificate,
    make_key_files,
)

runner = CliRunner()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "example")
    return tmp_path / "example" / "audit.yaml"


def _keys_init(out: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(
        app, ["keys", "init", "--name", "Audit Team", "--out", str(out), *extra], env=env
    )
    return result.exit_code, result.output


def _audit(manifest: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["audit", str(manifest), "--out", str(out), "-q", *extra], env=env)


def test_keys_init_writes_a_private_key_0600_and_a_certificate_fit_for_pdf_signing(
    tmp_path: Path,
) -> None:
    code, output = _keys_init(tmp_path / "keys", "--email", "audit@example.com")
    assert code == 0, output
    key = tmp_path / "keys" / "signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "PRIVATE KEY" not in output
    certificate = x509.load_pem_x509_certificate(
        (tmp_path / "keys" / "signing-cert.pem").read_bytes()
    )
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    assert private.public_key() == certificate.public_key()


def test_keys_init_encrypts_an_rsa_key_with_the_passphrase_from_the_environment(
    tmp_path: Path,
) -> None:
    env = {PASSPHRASE_VARIABLE: "correct horse battery staple"}
    code, output = _keys_init(tmp_path / "keys", "--algorithm", "rsa-3072", "--encrypt", env=env)
    assert code == 0, output
    data = (tmp_path / "keys" / "signing-key.pem").read_bytes()
    assert b"ENCRYPTED" in data
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(data, password=None)
    key = serialization.load_pem_private_key(data, password=b"correct horse battery staple")
    assert key.key_size == 3072  # type: ignore[union-attr]


def test_keys_init_without_a_passphrase_source_fails_and_writes_nothing(tmp_path: Path) -> None:
    code, output = _keys_init(tmp_path / "keys", "--encrypt", env={PASSPHRASE_VARIABLE: ""})
    assert code == 2
    assert "--encrypt needs a passphrase" in output
    assert not (tmp_path / "keys").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--email", "jö@example.com"], "is not an e-mail address"),
        (["--email", "not-an-address"], "is not an e-mail address"),
        (["--org", "x" * 65], "the organisation must be 1 to 64 characters"),
        (["--algorithm", "dsa"], "Invalid value"),
    ],
)
def test_keys_init_rejects_bad_identity_values(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    code, output = _keys_init(tmp_path / "keys", *arguments)
    assert code == 2
    assert message in output
    assert not (tmp_path / "keys").exists()


def test_keys_init_does_not_overwrite_a_key_without_force(tmp_path: Path) -> None:
    assert _keys_init(tmp_path / "keys")[0] == 0
    before = (tmp_path / "keys" / "signing-key.pem").read_bytes()
    code, output = _keys_init(tmp_path / "keys")
    assert code == 2 and "already exists" in output
    assert (tmp_path / "keys" / "signing-key.pem").read_bytes() == before
    assert _keys_init(tmp_path / "keys", "--force")[0] == 0
    assert (tmp_path / "keys" / "signing-key.pem").read_bytes() != before


def test_audit_sign_then_verify_passes_and_a_tampered_copy_fails(
    tmp_path: Path, example: Path
) -> None:
    _keys_init(tmp_path / "keys")
    keys = tmp_path / "keys"
    sign = [
        "--sign",
        "--key",
        str(keys / "signing-key.pem"),
        "--cert",
        str(keys / "signing-cert.pem"),
    ]
    audit = _audit(example, tmp_path / "out", *sign)
    assert audit.exit_code == 1, audit.output  # the example fails its gate; reports are signed
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "audit.json",
        "summary.md",
        "report.pdf",
        "report.sarif",
        "junit.xml",
        "attestation.intoto.jsonl",
        "signer.pem",
        ".governance-index.json",  # what the tool wrote, for its next run
    }
    verify = runner.invoke(
        app,
        [
            "verify",
            str(tmp_path / "out"),
            "--trust",
            str(keys / "signing-cert.pem"),
            "--inputs",
            str(example),
        ],
    )
    assert verify.exit_code == 0, verify.output
    assert "VERIFIED: 8 passed, 0 failed, 0 skipped" in verify.output
    summary = tmp_path / "out" / "summary.md"
    summary.write_text(summary.read_text() + "\nAll good.\n")
    verify = runner.invoke(
        app, ["verify", str(tmp_path / "out"), "--trust", str(keys / "signing-cert.pem")]
    )
    assert verify.exit_code == 1
    assert "FAILED  subjects" in verify.output
    assert "summary.md differs from the attested file" in verify.output


def test_audit_sign_reads_an_encrypted_key_passphrase_from_the_environment(
    tmp_path: Path, example: Path
) -> None:
    env = {PASSPHRASE_VARIABLE: "s3cret"}
    _keys_init(tmp_path / "keys", "--encrypt", env=env)
    keys = tmp_path / "keys"
    sign = [
        "--sign",
        "--key",
        str(keys / "signing-key.pem"),
        "--cert",
        str(keys / "signing-cert.pem"),
    ]
    assert _audit(example, tmp_path / "ok", *sign, env=env).exit_code == 1
    assert (tmp_path / "ok" / "attestation.intoto.jsonl").is_file()
    wrong = _audit(example, tmp_path / "wrong", *sign, env={PASSPHRASE_VARIABLE: "guess"})
    assert wrong.exit_code == 2
    assert "cannot load the private key" in wrong.output and "guess" not in wrong.output
    missing = _audit(example, tmp_path / "missing", *sign, env={PASSPHRASE_VARIABLE: ""})
    assert missing.exit_code == 2
    assert "the key is encrypted and no passphrase was given" in missing.output
    assert not (tmp_path / "wrong").exists() and not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sign", "--key", "k.pem"], "--sign needs --key and --cert"),
        (["--key", "k.pem"], "--key, --cert and --chain need --sign"),
        (["--sign", "--key", "nope.pem", "--cert", "nope.pem"], "cannot read the key"),
    ],
)
def test_audit_sign_usage_errors_exit_2_before_writing(
    tmp_path: Path, example: Path, arguments: list[str], message: str
) -> None:
    result = _audit(example, tmp_path / "out", *arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_audit_sign_with_no_report_file_is_a_usage_error(tmp_path: Path, example: Path) -> None:
    keys = make_key_files(tmp_path / "keys", "Auditor")
    sign = ["--sign", "--key", str(keys.key), "--cert", str(keys.cert)]
    result = _audit(example, tmp_path / "out", "--format", "console", *sign)
    assert result.exit_code == 2
    assert "--sign needs a report file to sign" in result.output


def test_audit_sign_refuses_unfit_certificates_before_writing(
    tmp_path: Path, example: Path
) -> None:
    expired = make_key_files(
        tmp_path / "expired", "Old", now=dt.datetime.now(dt.UTC) - dt.timedelta(days=90), days=30
    )
    bare = make_key_files(tmp_path / "bare", "Bare")
    bare.cert.write_bytes(
        certificate_without_usages(bare.material.key, "Bare").public_bytes(
            serialization.Encoding.PEM
        )
    )
    other = make_key_files(tmp_path / "other", "Other")
    cases = [
        (expired.key, expired.cert, "expired on"),
        (bare.key, bare.cert, "has no key usage extension"),
        (bare.key, other.cert, "is not for the key"),
    ]
    for key, cert, message in cases:
        result = _audit(example, tmp_path / "out", "--sign", "--key", str(key), "--cert", str(cert))
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert not (tmp_path / "out").exists()


def _ca(tmp_path: Path, name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / f"{name}.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate, path


def test_csr_signed_by_an_organisation_ca_chains_to_that_ca(tmp_path: Path, example: Path) -> None:
    code, output = _keys_init(tmp_path / "keys", "--csr")
    assert code == 0, output
    assert not (tmp_path / "keys" / "signing-cert.pem").exists()
    request = x509.load_pem_x509_csr((tmp_path / "keys" / "signing-request.csr").read_bytes())
    assert request.is_signature_valid
    ca_key, ca_cert, ca_path = _ca(tmp_path, "Acme Audit CA")
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(request.subject)
        .issuer_name(ca_cert.subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
    )
    for extension in request.extensions:  # the CA honours the requested usages
        builder = builder.add_extension(extension.value, extension.critical)
    issued = tmp_path / "keys" / "signing-cert.pem"
    issued.write_bytes(
        builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )

    key = tmp_path / "keys" / "signing-key.pem"
    sign = ["--sign", "--key", str(key), "--cert", str(issued), "--chain", str(ca_path)]
    assert _audit(example, tmp_path / "out", *sign).exit_code == 1
    trusted = runner.invoke(app, ["verify", str(tmp_path / "out"), "--trust", str(ca_path)])
    assert trusted.exit_code == 0, trusted.output
    assert "chains to the trusted certificate" in trusted.output
    *_, stranger = _ca(tmp_path, "Stranger CA")
    untrusted = runner.invoke(app, ["verify", str(tmp_path / "out"), "--trust", str(stranger)])
    assert untrusted.exit_code == 1
    assert "does not chain to the trusted certificate" in untrusted.output


def test_verify_usage_errors_exit_2(tmp_path: Path, workspace: Workspace) -> None:
    missing = runner.invoke(app, ["verify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not found" in missing.output
    garbage = tmp_path / "trust.pem"
    garbage.write_text("not a certificate")
    bad_trust = runner.invoke(app, ["verify", str(workspace.report), "--trust", str(garbage)])
    assert bad_trust.exit_code == 2 and "not a valid trusted certificate" in bad_trust.output
    bad_inputs = runner.invoke(
        app, ["verify", str(workspace.report), "--inputs", str(tmp_path / "audit.yaml")]
    )
    assert bad_inputs.exit_code == 2
    assert "audit.yaml" in bad_inputs.output and "Traceback" not in bad_inputs.output


def test_a_forged_report_file_beside_a_markdown_only_signature_fails_verify(
    tmp_path: Path, example: Path
) -> None:
    _keys_init(tmp_path / "keys")
    keys = tmp_path / "keys"
    cert = str(keys / "signing-cert.pem")
    sign = ["--sign", "--key", str(keys / "signing-key.pem"), "--cert", cert]
    assert _audit(example, tmp_path / "out", "-f", "md", *sign).exit_code == 1
    (tmp_path / "out" / "audit.json").write_text('{"verdict": "passed"}\n')
    verify = runner.invoke(app, ["verify", str(tmp_path / "out"), "--trust", cert])
    assert verify.exit_code == 1, verify.output
    assert "FAILED  subjects" in verify.output
    assert "audit.json is present but not attested" in verify.output


def test_verify_without_trust_fails_unless_allow_untrusted_which_warns(
    workspace: Workspace,
) -> None:
    report = str(workspace.report)
    untrusted = runner.invoke(app, ["verify", report])
    assert untrusted.exit_code == 1, untrusted.output
    assert "FAILED  trust" in untrusted.output
    assert "nothing establishes who signed this report" in untrusted.output
    assert "NOT VERIFIED: 6 passed, 1 failed, 1 skipped" in untrusted.output

    integrity = runner.invoke(app, ["verify", report, "--allow-untrusted"])
    assert integrity.exit_code == 0, integrity.output
    assert "VERIFIED (integrity only): 6 passed, 0 failed, 2 skipped" in integrity.output
    assert "WARNING: --allow-untrusted: nothing establishes who signed" in integrity.output

    both = [report, "--allow-untrusted", "--trust", str(workspace.signer.cert)]
    contradictory = runner.invoke(app, ["verify", *both])
    assert contradictory.exit_code == 2
    assert "--trust and --allow-untrusted exclude each other" in contradictory.output


def test_verify_help_says_trust_is_required_and_what_allow_untrusted_does() -> None:
    # rich wraps the option help inside a box: drop its borders to read the sentences
    help_text = " ".join(runner.invoke(app, ["verify", "--help"]).output.replace("│", " ").split())
    assert "Required unless --allow-untrusted" in help_text
    assert "--allow-untrusted" in help_text and "check integrity only" in help_text


def test_verify_a_signer_certificate_with_an_unsupported_key_type_exits_1(
    workspace: Workspace,
) -> None:
    (workspace.report / "signer.pem").write_bytes(certificate_pem(ed25519_certificate("Mallory")))
    verify = runner.invoke(
        app, ["verify", str(workspace.report), "--trust", str(workspace.signer.cert)]
    )
    assert verify.exit_code == 1, verify.output
    assert "FAILED  attestation" in verify.output
    assert "unsupported public key type Ed25519" in verify.output


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
def test_verify_an_unreadable_attestation_exits_1_not_3(workspace: Workspace) -> None:
    attestation = workspace.report / "attestation.intoto.jsonl"
    attestation.unlink()
    attestation.symlink_to("/proc/self/mem")  # every read fails with EIO, even for root
    verify = runner.invoke(
        app, ["verify", str(workspace.report), "--trust", str(workspace.signer.cert)]
    )
    assert verify.exit_code == 1, verify.output
    assert "cannot read attestation.intoto.jsonl: Input/output error" in verify.output


def test_keys_init_into_a_folder_it_cannot_create_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "keys"
    blocker.write_text("not a folder")
    code, output = _keys_init(blocker / "inner")
    assert code == 2
    assert "cannot create the output folder" in output and "Traceback" not in output
    assert blocker.read_text() == "not a folder"
