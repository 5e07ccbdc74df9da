"""What a `rai:personalSensitiveInformation` text declares: no personal data at all, or the
kinds it names, as presidio entity names. The vocabulary's range is free text, so the words
people write for each entity are matched (an entity's own name, `EMAIL_ADDRESS`, too); a text
that names nothing is neither a denial nor a list. A kind named in a negation ("no e-mail
addresses") is not declared."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERMS: dict[str, str] = {
    "EMAIL_ADDRESS": r"e-?mail",
    "PHONE_NUMBER": r"(?:tele)?phone|mobile number",
    "US_SSN": r"social security|\bssns?\b",
    "CREDIT_CARD": r"credit card|card numbers?",
    "IBAN_CODE": r"\biban",
    "US_BANK_NUMBER": r"bank account",
    "IP_ADDRESS": r"\bip address",
    "URL": r"\burls?\b|web address",
    "US_PASSPORT": r"passport",
    "US_DRIVER_LICENSE": r"driver'?s? licen[cs]e",
    "DATE_TIME": r"date of birth|birth ?dates?",
    "PERSON": r"\b(?:full |first |last |person(?:al)? )?names\b|\bname of",
    "LOCATION": r"postal address|home address|street address",
}
_ENTITY_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_DENIAL = re.compile(
    r"^\W*(?:none|no|n/?a|not applicable)\b"
    r"|\b(?:no|not any|without|free of|contains? no|does not contain(?: any)?) "
    r"(?:personal|personally|pii|sensitive|identif)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PersonalDataDeclaration:
    denies: bool
    """The text says the dataset holds no personal data (and names none)."""
    entities: frozenset[str]
    """The entities the text names."""


_NEGATION = re.compile(r"\b(?:no|not|without|never|nor)\b[^.;:,]*$", re.IGNORECASE)


def read_declaration(text: str, known_entities: frozenset[str]) -> PersonalDataDeclaration:
    named = {
        entity
        for entity, pattern in _TERMS.items()
        for match in re.finditer(pattern, text, re.IGNORECASE)
        if not _negated(text, match.start())
    }
    named |= {
        match[0]
        for match in _ENTITY_NAME.finditer(text)
        if match[0] in known_entities and not _negated(text, match.start())
    }
    return PersonalDataDeclaration(
        denies=not named and _DENIAL.search(text) is not None, entities=frozenset(named)
    )


def _negated(text: str, start: int) -> bool:
    """A negation earlier in the same clause, a few words before the mention."""
    return _NEGATION.search(text[max(0, start - 40) : start]) is not None
