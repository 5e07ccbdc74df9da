"""The one function every identifier from the inputs passes through before any output.

Column names, group labels (the values of a sensitive feature), document headings, dataset
names and waiver scopes are written by people or taken from data, and reports print them: a
column named after an e-mail address, or an age band holding an SSN, would publish personal
data that the value scan masks. `mask_identifier` masks what presidio's recognizers find in an
identifier the same way values are masked (`j***@e***.com`, `***-**-1120`), and escapes the
characters that could forge or hide text.

It is deliberately more eager than the value scan: an identifier is a name, not a sample of a
column, so a false positive costs a little readability and never a finding. Each pattern
recognizer's own patterns count without its validation step (presidio rejects
`078-05-1120` as a published sample SSN, but an identifier holding one is masked all the same),
and phone numbers count as phonenumbers reads them. Text the prefilter proves cannot hold any
of these entities (most names: letters, `_`, few digits, no `@`) never reaches presidio, which
is then not even imported.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from governance.personal_data.masking import mask
from governance.personal_data.prefilter import possible_entities
from governance.text_escaping import escape_controls

IDENTIFIER_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "US_ITIN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "UK_NHS",
    "US_PASSPORT",
    "US_BANK_NUMBER",
    "CRYPTO",
)
"""Direct identifiers of a person that the offline recognizers find. Dates, URLs, UUIDs and
licence codes are left readable: in a name they are far more often a version, a link or a code
than someone's data (and presidio's licence patterns match any short code such as `H1`)."""

Span = tuple[int, int, str]


def mask_identifier(text: str) -> str:
    """`text` with every direct identifier found in it masked, on one line with control and
    bidirectional characters escaped: the only form in which an identifier reaches an output."""
    return escape_controls(_masked(text))


def mask_in_text(text: str) -> str:
    """`mask_identifier` for a longer text that quotes identifiers (an error message and its
    hint, a traceback): line breaks stay."""
    return "\n".join(mask_identifier(line) for line in text.split("\n"))


@lru_cache(maxsize=65_536)
def _masked(text: str) -> str:
    entities = possible_entities(text, IDENTIFIER_ENTITIES)
    if not entities:
        return text
    spans = _merged(_spans(text, entities))
    if not spans:
        return text
    out, at = [], 0
    for start, end, entity in spans:
        out.append(text[at:start])
        out.append(mask(entity, text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def _spans(text: str, entities: tuple[str, ...]) -> list[Span]:
    from governance.personal_data.analyzer import LANGUAGE

    analyzer = _analyzer()
    found: list[Span] = [
        (r.start, r.end, r.entity_type)
        for r in analyzer.analyze(text=text, language=LANGUAGE, entities=list(entities))
        if r.score > 0
    ]
    for entity, compiled in _patterns():
        if entity in entities:
            found += [(m.start(), m.end(), entity) for m in compiled.finditer(text)]
    return found


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans as one, masked as the entity of the longest: `mask` keeps at most a
    few trailing digits of a span, so a merged span hides at least as much as either part."""
    merged: list[Span] = []
    for start, end, entity in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_entity = merged[-1]
            longer = entity if end - start > last_end - last_start else last_entity
            merged[-1] = (last_start, max(end, last_end), longer)
        else:
            merged.append((start, end, entity))
    return merged


@cache
def _analyzer() -> Any:
    from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

    return shared_analyzer(AnalyzerConfig())


@cache
def _patterns() -> tuple[tuple[str, Any], ...]:
    """Each pattern recognizer's regular expressions, compiled with its own flags, for the
    entities identifiers are masked for."""
    import regex  # presidio's own regular-expression engine, for the same matches

    from governance.personal_data.analyzer import LANGUAGE

    compiled = []
    for recognizer in _analyzer().registry.get_recognizers(
        language=LANGUAGE, entities=list(IDENTIFIER_ENTITIES)
    ):
        patterns = getattr(recognizer, "patterns", None)
        if not patterns:  # the phone recognizer: phonenumbers decides, through the analyzer
            continue
        entity = recognizer.supported_entities[0]
        flags = recognizer.global_regex_flags or 0
        compiled += [(entity, regex.compile(p.regex, flags=flags)) for p in patterns]
    return tuple(compiled)
