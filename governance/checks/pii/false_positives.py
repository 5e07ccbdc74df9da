"""Known false positives of presidio's pattern recognizers, and why each is dropped.

Measured on presidio-analyzer 2.2.366 (see FIELD-NOTES.md and upstream issues #951, #1063,
#1639); each rule drops the least evidence that removes the noise:

1. **Numbers in numeric columns** count only when the column's name names the entity. A
   random 10-digit integer parses as a phone number in most cases (258 of 300) and passes the
   NHS mod-11 checksum one time in eleven (at score 1.0); 8-digit integers match the bank
   number and driver-licence patterns. A column typed as numbers is an id, a count or an
   amount unless its name (`phone`, `ssn`, `nhs_number`) says otherwise.
2. **DATE_TIME on a bare number** (`1999`, `20261126`, `3.5`) is dropped anywhere: a number is
   far more often a year, count or id than a date, and a date column is not personal data by
   itself.
3. **URL inside an e-mail address** is dropped: presidio reports the domain of every e-mail
   (`example.org` in `jane@example.org`) as a URL too.
4. **UK_NHS needs an NHS-named column**: the checksum is the recognizer's only evidence and a
   US phone number such as `212-555-0113` passes it (score 1.0), as do 9% of 10-digit numbers.
5. **US_DRIVER_LICENSE needs a licence-named column** and at least 6 characters: its weak
   patterns match any letter-plus-digits code (`H1`, an applicant id `A100000`).
6. **A value that is only digits** (`10001`, `4829103347`) counts as a phone or bank number
   only in a column named for it: rule 1 for numbers stored as text (zip codes, order
   numbers and ids are often text columns), measured on a 1M-row table where zip codes were
   reported as phone numbers.
7. **A phone number inside a structured identifier** (a payment card, an SSN, an IBAN, a UUID)
   is dropped: phonenumbers parses the digits of a card number or of a UUID as a phone, while
   the identifier's own recognizer (checksum or exact format) explains them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from governance.checks.pii.column_context import ColumnFacts

_BARE_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_DIGITS_ONLY = re.compile(r"^\d+$")
_NAME_REQUIRED = frozenset({"UK_NHS", "US_DRIVER_LICENSE"})
_NAME_REQUIRED_FOR_DIGITS = frozenset({"PHONE_NUMBER", "US_BANK_NUMBER"})
STRUCTURED_IDENTIFIERS = ("CREDIT_CARD", "US_SSN", "IBAN_CODE", "UUID")
_MIN_LICENCE_LENGTH = 6

COMPANIONS: dict[str, tuple[str, ...]] = {
    "URL": ("EMAIL_ADDRESS",),
    "PHONE_NUMBER": STRUCTURED_IDENTIFIERS,
}
"""Entities analysed alongside a requested one only so its false positives can be recognised."""


def plausible(results: Iterable[Any], text: str, column: ColumnFacts) -> list[Any]:
    """The presidio results (`RecognizerResult`) that survive the rules above."""
    results = list(results)
    emails = _spans(results, ("EMAIL_ADDRESS",))
    identifiers = _spans(results, STRUCTURED_IDENTIFIERS)
    digits_only = _digits_only(text)
    kept = []
    for result in results:
        entity = result.entity_type
        span = text[result.start : result.end]
        if column.numeric and entity not in column.named_entities:
            continue
        if entity == "DATE_TIME" and _BARE_NUMBER.match(span.strip()):
            continue
        if entity == "URL" and any(s <= result.start and result.end <= e for s, e in emails):
            continue
        if entity in _NAME_REQUIRED and entity not in column.named_entities:
            continue
        if entity == "US_DRIVER_LICENSE" and len(span.strip()) < _MIN_LICENCE_LENGTH:
            continue
        if (
            digits_only
            and entity in _NAME_REQUIRED_FOR_DIGITS
            and entity not in column.named_entities
        ):
            continue
        if entity == "PHONE_NUMBER" and _overlaps(result, identifiers):
            continue
        kept.append(result)
    return kept


def entities_worth_asking(
    text: str, column: ColumnFacts, entities: tuple[str, ...]
) -> tuple[str, ...]:
    """`entities` without those whose every result in `text` rule 1, 4, 5 or 6 would drop
    whatever presidio finds (decided by the column's type and name and by whether the value is
    only digits). Leaving them out changes no count: presidio judges each entity's results
    apart from the others'."""
    named = column.named_entities
    if column.numeric:
        return tuple(e for e in entities if e in named)
    moot = _NAME_REQUIRED | (_NAME_REQUIRED_FOR_DIGITS if _digits_only(text) else frozenset())
    return tuple(e for e in entities if e not in moot or e in named)


def _digits_only(text: str) -> bool:
    return bool(_DIGITS_ONLY.match(text.strip()))


_IDENTIFIER_SHAPE = re.compile(r"[\dA-Fa-f -]+|[A-Z]{2}\d{2}[A-Z\d ]+")
"""Text that could be nothing but SSNs, card numbers, UUIDs or an IBAN: digits (hex digits),
spaces and hyphens, or an IBAN's country and check digits then letters and digits."""
_IDENTIFIER_WORD = re.compile(r"[\dA-Fa-f-]+")
"""A word that could be an SSN, a card number or a UUID (or one group of them)."""


def may_explain_every_digit(text: str) -> bool:
    """Whether `text` is shaped like structured identifiers alone, or like words around them
    (`ssn 536-22-8726`: every word holding a digit shaped like one): then it is worth finding
    them before asking for phone numbers (`phone_is_moot`). A cheap guess, never a verdict."""
    if _IDENTIFIER_SHAPE.fullmatch(text.strip()):
        return True
    with_digits = [word for word in text.split() if any(c.isdigit() for c in word)]
    return bool(with_digits) and all(_IDENTIFIER_WORD.fullmatch(word) for word in with_digits)


def phone_is_moot(results: Iterable[Any], text: str) -> bool:
    """True when rule 7 would drop any phone number presidio could find in `text`: every digit
    lies inside a structured identifier among `results`, and a phone number has digits. Then
    the phone matcher, presidio's costliest recognizer, need not run on it."""
    identifiers = _spans(list(results), STRUCTURED_IDENTIFIERS)
    return any(c.isdigit() for c in text) and all(
        any(start <= index < end for start, end in identifiers)
        for index, char in enumerate(text)
        if char.isdigit()
    )


def _spans(results: list[Any], entities: tuple[str, ...]) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in results if r.entity_type in entities]


def _overlaps(result: Any, spans: list[tuple[int, int]]) -> bool:
    return any(result.start < end and start < result.end for start, end in spans)


def needs_scan(column: ColumnFacts, entities: tuple[str, ...]) -> bool:
    """False when rule 1 or 4/5 would drop every hit in this column, so scanning it is moot."""
    if column.numeric:
        return bool(column.named_entities)
    return any(e not in _NAME_REQUIRED or e in column.named_entities for e in entities)
