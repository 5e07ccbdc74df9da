"""Values that provably cannot hold an entity are not sent to presidio for it.

Each test below is a necessary condition read off the recognizer's own patterns: an e-mail
address has an `@`; a phone number, card, SSN, NHS number, date... has digits (at least as many
as the shortest pattern); a URL has a `.`; an IP address two `:` (every IPv6 form, `::1` the
shortest) or four numbers joined by dots (IPv4); a crypto wallet a run of 26 letters and digits;
an IBAN two letters, two digits and two groups of four; a passport or bank account number eight
digits in a row. Failing one proves "no match", so skipping is exact, not a heuristic; entities
without such a test are always analysed.

Phone numbers: presidio keeps only numbers phonenumbers judges *valid* for one of its regions
(US, GB, DE, FR, IL, IN, CA, BR), and the shortest valid national number among them has 4
digits (Germany); a number written with its country code has at least 6 digits in any region.
`test_phone_minimum_matches_phonenumbers_metadata` re-derives the 4.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PHONE_MIN_DIGITS = 4
_MIN_DIGITS = {
    "PHONE_NUMBER": PHONE_MIN_DIGITS,
    "DATE_TIME": 1,
    "US_BANK_NUMBER": 8,
    "US_PASSPORT": 1,
    "US_DRIVER_LICENSE": 1,
    "MEDICAL_LICENSE": 1,
    "IBAN_CODE": 2,
    "US_SSN": 9,
    "US_ITIN": 9,
    "UK_NHS": 10,
    "CREDIT_CARD": 13,
}
# Shapes every match of a presidio pattern holds, matched as presidio matches (ignoring case,
# so `[A-Z]` also takes the four non-ASCII letters that fold to ASCII ones, such as `ſ`).
_CRYPTO_SHAPE = re.compile(r"[13][A-Z0-9]{25}", re.IGNORECASE)
"""`(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}`: a 1 or 3 and 25 more letters or digits."""
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2}", re.IGNORECASE)
"""`[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6}...`: its start."""
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
"""Passport (`[0-9]{9}`, `[A-Z][0-9]{8}`) and bank account (`[0-9]{8,17}`) numbers."""
_NEEDS: dict[str, Callable[[str], bool]] = {
    "EMAIL_ADDRESS": lambda text: "@" in text,
    "URL": lambda text: "." in text,
    # IPv6 forms all hold two colons (so `builtin:baseline` is no address); IPv4 four numbers
    # joined by dots.
    "IP_ADDRESS": lambda text: text.count(":") >= 2 or ("." in text and _digits(text) >= 4),
    "MAC_ADDRESS": lambda text: ":" in text or "-" in text or "." in text,
    "CRYPTO": lambda text: _CRYPTO_SHAPE.search(text) is not None,
    "IBAN_CODE": lambda text: _IBAN_SHAPE.search(text) is not None,
    "US_PASSPORT": lambda text: _EIGHT_DIGITS.search(text) is not None,
    "US_BANK_NUMBER": lambda text: _EIGHT_DIGITS.search(text) is not None,
}


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def possible_entities(text: str, entities: tuple[str, ...]) -> tuple[str, ...]:
    """The entities among `entities` that `text` could still hold."""
    digits = -1
    possible = []
    for entity in entities:
        needed = _MIN_DIGITS.get(entity)
        if needed is not None:
            if digits < 0:
                digits = _digits(text)
            if digits < needed:
                continue
        test = _NEEDS.get(entity)
        if test is not None and not test(text):
            continue
        possible.append(entity)
    return tuple(possible)
