"""`governance keys init`: a signing key and its certificate (or a CSR for an organisation's CA)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.cli.passphrase import new_key_passphrase
from governance.errors import UsageError
from governance.report_files import create_output_folder, write_file_atomically
from governance.signing.key_settings import PASSPHRASE_VARIABLE, KeyAlgorithm

keys_app = typer.Typer(
    help="Create keys and certificates for signing reports.", no_args_is_help=True
)

KEY_FILE = "signing-key.pem"
CERT_FILE = "signing-cert.pem"
CSR_FILE = "signing-request.csr"


@keys_app.command("init")
@reports_errors
def keys_init_command(
    name: Annotated[str, typer.Option("--name", help="Signer name (certificate CN).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")] = Path("keys"),
    organization: Annotated[str | None, typer.Option("--org", help="Organisation (O).")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Signer e-mail address.")] = None,
    algorithm: Annotated[KeyAlgorithm, typer.Option("--algorithm")] = KeyAlgorithm.ECDSA_P256,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="Validity.")] = 365,
    csr: Annotated[
        bool, typer.Option("--csr", help="Write a signing request for your CA, not a certificate.")
    ] = False,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt", help=f"Encrypt the key; passphrase from {PASSPHRASE_VARIABLE} or a prompt."
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Create a signing key (mode 0600) and a certificate or a CSR.

    The certificate is self-signed; with --csr, a signing request for your CA is written
    instead."""
    from cryptography.hazmat.primitives import serialization

    from governance.signing.certificates import (
        SignerIdentity,
        certificate_pem,
        self_signed_certificate,
        signing_request,
    )
    from governance.signing.keys import generate_private_key, private_key_pem, write_secret_file

    key_path = out / KEY_FILE
    if key_path.exists() and not force:
        raise UsageError(f"{key_path} already exists", hint="pass --force to replace it")
    identity = SignerIdentity(common_name=name, organization=organization, email=email)
    passphrase = new_key_passphrase(encrypt)
    key = generate_private_key(algorithm)
    if csr:
        request = signing_request(key, identity).public_bytes(serialization.Encoding.PEM)
        public_name, public_data = CSR_FILE, request
    else:
        certificate = self_signed_certificate(key, identity, days=days)
        public_name, public_data = CERT_FILE, certificate_pem(certificate)
    create_output_folder(out)
    write_secret_file(key_path, private_key_pem(key, passphrase))
    public_path = write_file_atomically(out / public_name, public_data)
    typer.echo(f"wrote {key_path} (private, mode 0600{', encrypted' if passphrase else ''})")
    typer.echo(f"wrote {public_path}")
    if csr:
        typer.echo("next: have your CA sign the request; keep the emailProtection usage")
    else:
        typer.echo(
            f"sign reports with: governance audit --sign --key {key_path} --cert {public_path}"
        )
