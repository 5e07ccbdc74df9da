"""The patterns that select candidate values for personal-data entities, which every engine
runs over a whole column (`DataEngine.candidate_values`).

Each pattern below is a *necessary condition* for presidio's recognizer of its entity: every
text in which presidio finds the entity matches it (tests/pii/test_candidate_patterns.py runs
each pattern in DuckDB against presidio's own test values and generated ones). So a value that
matches none of the patterns asked for cannot hold any of those entities, and a scan that sends
presidio only the matching values decides on every row.

The patterns are written in the regular-expression subset that RE2 (DuckDB) and Java (Spark)
share: character classes, counted repetition, `(?s:...)` groups; no look-around, no `\\b`, no
`\\d`. presidio matches with Python's `regex` module, where `\\d` is any Unicode digit and
IGNORECASE folds some non-ASCII letters onto ASCII ones (`ſ` onto `s`); rather than rely on two
engines agreeing on Unicode tables, every non-ASCII character counts as a possible digit or
letter (`_DIGIT`, `_LETTER`): a superset whatever the tables, and rare in the columns scanned.
"""

from __future__ import annotations

from collections.abc import Mapping

_NON_ASCII = r"\x{80}-\x{10FFFF}"
_DIGIT = f"[0-9{_NON_ASCII}]"
"""`\\d` as presidio's `regex` module reads it (any Unicode digit), or wider."""
_LETTER_OR_DIGIT = f"[0-9A-Za-z{_NON_ASCII}]"

CANDIDATE_PATTERNS: Mapping[str, str] = {
    # `...[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+`: an `@`, then a `.`, no line break between.
    "EMAIL_ADDRESS": r"@.*[.]",
    # phonenumbers keeps numbers valid for a region, 4 digits at the shortest (prefilter.py).
    "PHONE_NUMBER": f"{_DIGIT}(?s:.*{_DIGIT}){{3}}",
    # SSN1-5: 5-4, 3-6, 3-2-4 with `-`, `.` or a space, or 9 digits; `[0-9]` is ASCII only.
    "US_SSN": r"[0-9]{3}[- .]?[0-9]{2}[- .]?[0-9]{4}|[0-9]{5}-[0-9]{4}|[0-9]{3}-[0-9]{6}",
    # `((4\d{3})|(5[0-5]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))[- ]?(\d{3,4})[- ]?(\d{3,4})`
    # `[- ]?(\d{3,5})`
    "CREDIT_CARD": (
        f"[13-6]{_DIGIT}{{3}}[- ]?{_DIGIT}{{3,4}}[- ]?{_DIGIT}{{3,4}}[- ]?{_DIGIT}{{3,5}}"
    ),
    # `[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6}...`, matched with or without IGNORECASE.
    "IBAN_CODE": f"[A-Za-z{_NON_ASCII}]{{2}}[0-9]{{2}}(?:[ -]?{_LETTER_OR_DIGIT}{{4}}){{2}}",
    # `9\d{2}[- ]?(5\d|6[0-5]|7\d|8[0-8]|9([0-2]|[4-9]))[- ]?\d{4}` (the three patterns)
    "US_ITIN": f"9{_DIGIT}{{2}}[- ]?{_DIGIT}{{2}}[- ]?{_DIGIT}{{4}}",
    # `[0-9]{9}` and `[A-Z][0-9]{8}`
    "US_PASSPORT": r"[0-9]{8}",
    # `([0-9]{3})[- ]?([0-9]{3})[- ]?([0-9]{4})`
    "UK_NHS": r"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}",
    # IPv4 (also inside the mapped and embedded forms): four numbers of 1-3 digits joined by
    # dots; every IPv6 form holds `::` or seven colons.
    "IP_ADDRESS": r"[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}|::|(?:[^:]*:){7}",
}
"""Per entity, a regular expression every value holding it matches (searched, not anchored)."""
# The e-mail pattern's `.` needs no `(?s)`: the characters between `@` and the dot are word
# characters and hyphens, never a line break.


def candidate_entities(entities: tuple[str, ...]) -> tuple[str, ...]:
    """The entities among `entities` that have a candidate pattern."""
    return tuple(e for e in entities if e in CANDIDATE_PATTERNS)


def candidate_regex(entities: tuple[str, ...]) -> str:
    """One expression matching what any of `entities`' patterns matches."""
    patterns = [CANDIDATE_PATTERNS[e] for e in candidate_entities(entities)]
    if not patterns:
        raise ValueError("no entity with a candidate pattern")
    return "|".join(f"(?:{p})" for p in patterns)
