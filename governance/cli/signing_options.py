"""`audit --sign --key K --cert C [--chain CA]`: the signing material, loaded and checked before
the audit runs so that a bad key stops the command before any report is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import UsageError

if TYPE_CHECKING:
    from governance.signing.material import SigningMaterial


def signing_material(
    sign: bool, key: Path | None, cert: Path | None, chain: list[Path] | None
) -> SigningMaterial | None:
    if not sign:
        if key or cert or chain:
            raise UsageError("--key, --cert and --chain need --sign")
        return None
    if key is None or cert is None:
        raise UsageError(
            "--sign needs --key and --cert",
            hint="create them with `governance keys init --name NAME`",
        )
    # Imported only to sign: cryptography's x509 is not needed by an unsigned audit.
    from governance.cli.passphrase import existing_key_passphrase
    from governance.signing.material import load_signing_material

    return load_signing_material(
        key, cert, tuple(chain or ()), passphrase=existing_key_passphrase(key)
    )
