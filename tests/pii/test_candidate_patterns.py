"""The candidate patterns are supersets of presidio's recognizers: whenever presidio finds an
entity in a value, the entity's pattern, run by DuckDB (RE2, not Python's `re`), matches it.

Values come from presidio-analyzer's own recognizer tests (copied into
`data/presidio_recognizer_test_values.json`, the first argument of each parametrized case of
tests/test_<recognizer>.py), from presidio's own patterns (hypothesis generates strings they
match, inside random text), from phonenumbers' example numbers in every format, and from random
text over an alphabet of digits, separators and the non-ASCII characters Python folds or reads
as digits.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.data.candidate_patterns import CANDIDATE_PATTERNS, candidate_regex
from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

PRESIDIO_TEST_VALUES: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "presidio_recognizer_test_values.json").read_text("utf-8")
)
ENTITIES = sorted(CANDIDATE_PATTERNS)
_CONNECTION = duckdb.connect()

# Characters where engines disagree: Unicode digits (Arabic-Indic, full-width, Devanagari),
# superscripts (`isdigit` but not `\d`), letters IGNORECASE folds onto ASCII (long s, Kelvin
# sign), line breaks, separators presidio's patterns use.
_TRICKY = "0123456789٣５९²ſKkAZaz @.:-/ ()+\n\t#xX"
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(exclude_characters="\x00"))


def presidio_finds(entity: str, text: str) -> bool:
    analyzer = shared_analyzer(AnalyzerConfig())
    return any(
        r.entity_type == entity
        for r in analyzer.analyze(text=text, language="en", entities=[entity])
    )


def pattern_matches(entity: str, text: str) -> bool:
    """The pattern as the data engine runs it (the same expression the candidate query uses)."""
    ((matched,),) = _CONNECTION.execute(
        "SELECT regexp_matches(?, ?)", [text, candidate_regex((entity,))]
    ).fetchall()
    return bool(matched)


def assert_superset(entity: str, text: str) -> None:
    if presidio_finds(entity, text):
        assert pattern_matches(entity, text), (entity, text)


@pytest.mark.parametrize("entity", ENTITIES)
def test_presidio_test_values_match_the_pattern(entity: str, analyzer: Any) -> None:
    values = PRESIDIO_TEST_VALUES[entity]
    found = [v for v in values if presidio_finds(entity, v)]
    assert found, f"no test value of {entity} is found by presidio: the test would prove nothing"
    for text in found:
        assert pattern_matches(entity, text), (entity, text)


@cache
def _presidio_patterns() -> dict[str, tuple[str, ...]]:
    analyzer = shared_analyzer(AnalyzerConfig())
    found: dict[str, tuple[str, ...]] = {}
    for entity in ENTITIES:
        recognizers = analyzer.registry.get_recognizers(language="en", entities=[entity])
        found[entity] = tuple(
            p.regex for r in recognizers for p in getattr(r, "patterns", None) or ()
        )
    return found


def _shaped(entity: str) -> st.SearchStrategy[str]:
    patterns = _presidio_patterns()[entity]
    if not patterns:  # phone numbers: phonenumbers' matcher, no regular expression
        return _phone_numbers()
    inner = st.one_of(*(st.from_regex(p) for p in patterns))
    if entity == "EMAIL_ADDRESS":  # the suffix must be a real one for presidio to keep it
        inner |= _email_addresses()
    return st.builds(lambda a, b, c: a + b + c, _TEXT, inner, _TEXT)


def _email_addresses() -> st.SearchStrategy[str]:
    word = st.text(
        alphabet=st.characters(categories=["L", "Nd"]) | st.sampled_from("_-Z9"),
        min_size=1,
        max_size=8,
    )
    suffix = st.sampled_from(["com", "ORG", "co.uk", "de", "xn--p1ai", "рф", "中国"])
    return st.builds(lambda a, b, c: f"{a}@{b}.{c}", word, word, suffix)


_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR")
_DIGIT_SETS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९")


def _phone_numbers() -> st.SearchStrategy[str]:
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    styles = (
        PhoneNumberFormat.E164,
        PhoneNumberFormat.INTERNATIONAL,
        PhoneNumberFormat.NATIONAL,
        PhoneNumberFormat.RFC3966,
    )
    examples = [
        phonenumbers.example_number_for_type(region, kind)
        for region in _PHONE_REGIONS
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.VOIP)
    ]
    numbers = [
        phonenumbers.format_number(example, style)
        for example in examples
        if example is not None
        for style in styles
    ]

    def written(number: str, digits: str) -> str:
        return number.translate(str.maketrans("0123456789", digits))

    return st.builds(
        lambda a, n, d, c: a + written(n, d) + c,
        _TEXT,
        st.sampled_from(numbers),
        st.sampled_from(_DIGIT_SETS),
        _TEXT,
    )


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.mark.parametrize("entity", ENTITIES)
def test_values_shaped_like_presidio_patterns_match_the_pattern(entity: str, analyzer: Any) -> None:
    @_SETTINGS
    @given(_shaped(entity))
    def check(text: str) -> None:
        assert_superset(entity, text)

    check()


@pytest.mark.parametrize("entity", ENTITIES)
def test_random_text_found_by_presidio_matches_the_pattern(entity: str, analyzer: Any) -> None:
    @_SETTINGS
    @given(_TEXT)
    def check(text: str) -> None:
        assert_superset(entity, text)

    check()


def test_the_patterns_leave_out_ordinary_text() -> None:
    """Supersets, but narrow ones: a name, a city or a sentence is no candidate."""
    for text in ("Jane Doe", "Springfield", "Please call me after lunch.", "order 12", "v1.2"):
        matched = [e for e in ENTITIES if pattern_matches(e, text)]
        assert matched == [], (text, matched)
