"""Where a key's passphrase comes from: the environment or a hidden prompt, never a command-line
value (which would land in shell history and the process list)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from governance.errors import UsageError
from governance.signing.key_settings import PASSPHRASE_VARIABLE


def _from_environment() -> bytes | None:
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value.encode("utf-8") if value else None


def new_key_passphrase(encrypt: bool) -> bytes | None:
    if not encrypt:
        return None
    if (value := _from_environment()) is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(
            "--encrypt needs a passphrase",
            hint=f"set {PASSPHRASE_VARIABLE} or run on a terminal to be asked for it",
        )
    typed: str = typer.prompt(
        "Passphrase for the new key", hide_input=True, confirmation_prompt=True
    )
    return typed.encode("utf-8")


def existing_key_passphrase(key: Path) -> bytes | None:
    """None for an unencrypted key; otherwise the environment's value or a prompt on a terminal
    (without either, loading the key fails with a hint)."""
    from governance.signing.keys import key_is_encrypted

    if not key_is_encrypted(key):
        return None
    if (value := _from_environment()) is not None:
        return value
    if sys.stdin.isatty():
        typed: str = typer.prompt(f"Passphrase for {key}", hide_input=True)
        return typed.encode("utf-8")
    return None
