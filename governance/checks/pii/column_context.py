"""What a column's name says: its words, given to presidio as context, and whether they name
an entity (which the false-positive rules rely on)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.personal_data.analyzer import context_words

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")

# Words presidio's recognizers lack but column names use.
_EXTRA_CONTEXT = {
    "EMAIL_ADDRESS": frozenset({"email", "mail", "e-mail"}),
    "PHONE_NUMBER": frozenset({"tel", "fax", "msisdn"}),
    "US_SSN": frozenset({"ssn", "social"}),
    "CREDIT_CARD": frozenset({"card", "pan", "cc"}),
    "IBAN_CODE": frozenset({"iban", "bank", "account"}),
    "UK_NHS": frozenset({"nhs"}),
    "US_DRIVER_LICENSE": frozenset({"licence", "license", "driver", "dl"}),
}


# Context words too generic to say what a column holds: presidio lists "number" for phones, so
# "order_number" would otherwise name a phone column.
_GENERIC_WORDS = frozenset({"number", "no", "num", "id", "code", "identifier"})


def column_words(name: str) -> tuple[str, ...]:
    """`contactEmail`, `contact_email` and `Contact Email` all give ("contact", "email")."""
    return tuple(w.lower() for w in _SEPARATORS.split(_CAMEL.sub(" ", name)) if w)


@dataclass(frozen=True)
class ColumnFacts:
    """What the scanner knows about a column besides its values."""

    name: str
    numeric: bool
    words: tuple[str, ...]
    named_entities: frozenset[str]
    """Requested entities the column's name gives context for (`phone` → PHONE_NUMBER)."""


def column_facts(name: str, numeric: bool, entities: tuple[str, ...]) -> ColumnFacts:
    words = column_words(name)
    return ColumnFacts(
        name=name,
        numeric=numeric,
        words=words,
        named_entities=frozenset(e for e in entities if name_suggests(e, words)),
    )


def name_suggests(entity: str, words: tuple[str, ...]) -> bool:
    """True when the column's words include one of the entity's context words (a multi-word
    context such as "national health service" must appear in order)."""
    joined = f" {' '.join(words)} "
    for word in (context_words(entity) | _EXTRA_CONTEXT.get(entity, frozenset())) - _GENERIC_WORDS:
        if (" " in word and f" {word} " in joined) or word in words:
            return True
    return False
