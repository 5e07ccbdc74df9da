"""Masked examples: enough to recognise the kind of value found, never enough to recover it.

`jane.doe@example.com` → `j***@e***.com`; `536-22-8726` → `***-**-8726`; a card keeps its last
four digits, as payment receipts do. Every other entity keeps its separators and at most its
last two characters. This runs inside the scanner, so raw matches never leave it.
"""

from __future__ import annotations

import re

_KEEP_LAST_DIGITS = 4
_ALPHANUMERIC = re.compile(r"[^\W_]")
_DIGIT_ENTITIES = frozenset(
    {"US_SSN", "US_ITIN", "CREDIT_CARD", "PHONE_NUMBER", "US_BANK_NUMBER", "UK_NHS", "IBAN_CODE"}
)


def mask(entity: str, text: str) -> str:
    """A masked form of `text`, which presidio recognised as `entity`."""
    if entity == "EMAIL_ADDRESS" and "@" in text:
        return _mask_email(text)
    if entity in _DIGIT_ENTITIES:
        return _mask_keeping_last_digits(text)
    return _mask_tail(text)


def _mask_email(text: str) -> str:
    local, _, domain = text.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    masked_domain = f"{host[:1]}***{dot}{tld}" if dot else f"{domain[:1]}***"
    return f"{local[:1]}***@{masked_domain}"


def _mask_keeping_last_digits(text: str) -> str:
    """Digits and letters become `*` except the last four digits, when at least eight digits
    remain hidden; separators stay, so the shape (`***-**-6789`) is still readable."""
    digits = sum(c.isdigit() for c in text)
    keep = _KEEP_LAST_DIGITS if digits >= 2 * _KEEP_LAST_DIGITS + 1 else 0
    out = []
    for char in reversed(text):
        if char.isdigit() and keep:
            out.append(char)
            keep -= 1
        elif _ALPHANUMERIC.match(char):
            out.append("*")
        else:
            out.append(char)
    return _squeeze("".join(reversed(out)))


def _mask_tail(text: str) -> str:
    """Letters and digits become `*` except the last two, and only when at least six are
    hidden."""
    letters = len(_ALPHANUMERIC.findall(text))
    keep = 2 if letters >= 8 else 0
    out = []
    for char in reversed(text):
        if _ALPHANUMERIC.match(char):
            out.append(char if keep else "*")
            keep = max(keep - 1, 0)
        else:
            out.append(char)
    return _squeeze("".join(reversed(out)))


def _squeeze(text: str) -> str:
    """Runs of more than three `*` are shown as three: the length is not shown either."""
    return re.sub(r"\*{4,}", "***", text)
