"""Values that provably cannot hold an entity are not sent to presidio for it.

Each test below is a necessary condition read off the recognizer's own patterns: an e-mail
address has an `@`; a phone number, card, SSN, NHS number, date... has digits (at least as many
as the shortest pattern); a URL or IP address has a `.` or `:`. Failing one proves "no match",
so skipping is exact, not a heuristic; entities without such a test are always analysed.

Phone numbers: presidio keeps only numbers phonenumbers judges *valid* for one of its regions
(US, GB, DE, FR, IL, IN, CA, BR), and the shortest valid national number among them has 4
digits (Germany); a number written with its country code has at least 6 digits in any region.
`test_phone_minimum_matches_phonenumbers_metadata` re-derives the 4.
"""

from __future__ import annotations

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
_NEEDS: dict[str, Callable[[str], bool]] = {
    "EMAIL_ADDRESS": lambda text: "@" in text,
    "URL": lambda text: "." in text,
    "IP_ADDRESS": lambda text: "." in text or ":" in text,
    "MAC_ADDRESS": lambda text: ":" in text or "-" in text or "." in text,
}


def possible_entities(text: str, entities: tuple[str, ...]) -> tuple[str, ...]:
    """The entities among `entities` that `text` could still hold."""
    digits = -1
    possible = []
    for entity in entities:
        needed = _MIN_DIGITS.get(entity)
        if needed is not None:
            if digits < 0:
                digits = sum(c.isdigit() for c in text)
            if digits < needed:
                continue
        test = _NEEDS.get(entity)
        if test is not None and not test(text):
            continue
        possible.append(entity)
    return tuple(possible)
