"""What a user chooses about signing keys, named without importing the cryptography library
(the CLI declares its options with them at start-up)."""

from __future__ import annotations

from enum import StrEnum

PASSPHRASE_VARIABLE = "GOVERNANCE_KEY_PASSPHRASE"
"""The environment variable a passphrase is read from, so it never lands in shell history."""


class KeyAlgorithm(StrEnum):
    ECDSA_P256 = "ecdsa-p256"
    RSA_3072 = "rsa-3072"
