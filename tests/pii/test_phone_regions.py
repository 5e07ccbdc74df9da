"""Phone numbers looked for region by region once a batch's examples are chosen: the tally
(hits, highest score, examples, values analysed) is the one presidio's whole phone recognizer
gives, and the whole recognizer no longer runs on every value."""

from __future__ import annotations

import random
from typing import Any

import pytest
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from governance.checks.pii import scanner
from governance.checks.pii.column_context import column_facts
from governance.checks.pii.phone_regions import region_matchers
from governance.checks.pii.scanner import BatchTally, ScanBatch, scan_batch
from governance.personal_data.analyzer import AnalyzerConfig

ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "US_SSN", "CREDIT_CARD")


def _values() -> list[str]:
    """Phone numbers of every default region and format, mixed with values that hold digits
    and no phone number, identifiers that hold one, and both side by side."""
    rng = random.Random(16)
    numbers = [
        f"{rng.randrange(201, 989)}-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
        for _ in range(40)
    ]
    formats = [
        "(212) 555-0113", "+1-212-555-0113x123", "001-737-808-9970x7733", "737.808.9970",
        "+44 20 7946 0958", "020 7946 0958", "+49 30 901820", "030 901820", "+33 1 42 68 53 00",
        "01 42 68 53 00", "+972 3-123-4567", "+91 98765 43210", "+55 11 91234-5678",
        "call 415 555 0132 today", "fax: +1 (604) 555-0188", "1987-03-12", "2001-04-16",
        "order 4829103347", "ssn 536-22-8726", "4111 1111 1111 1111", "536-22-8726 or 212-555-0113",
        "card 4111-1111-1111-1111, phone 020 7946 0958", "jane2714415@example.com",
        "10.0.0.12", "zip 10001", "v2.3.14 build 2026", "room 1204, floor 12",
    ]  # fmt: skip
    values = numbers + formats * 3
    rng.shuffle(values)
    return list(dict.fromkeys(values))


def _scan(column: str, min_score: float) -> list[BatchTally]:
    values = _values()
    return [
        scan_batch(
            ScanBatch(
                job=0,
                values=tuple(values[start : start + 25]),
                column=column_facts(column, False, ENTITIES),
                entities=ENTITIES,
                min_score=min_score,
                config=AnalyzerConfig(),
            )
        )
        for start in range(0, len(values), 25)
    ]


@pytest.mark.parametrize("column", ["phone", "remark"])
@pytest.mark.parametrize("min_score", [0.4, 0.5])
def test_the_tally_is_the_whole_recognizers(
    column: str, min_score: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_region = _scan(column, min_score)
    monkeypatch.setattr(scanner, "region_matchers", lambda config: ())
    whole = _scan(column, min_score)
    assert by_region == whole
    if column == "phone" or min_score == 0.4:
        assert sum(t.entities["PHONE_NUMBER"].hits for t in whole) > 40


def test_the_whole_recognizer_runs_only_until_the_examples_are_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    original = PhoneRecognizer.analyze

    def counted(self: PhoneRecognizer, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(self.supported_regions))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PhoneRecognizer, "analyze", counted)
    numbers = [f"212-555-{n:04d}" for n in range(100, 140)]
    (tally,) = [
        scan_batch(
            ScanBatch(
                job=0,
                values=tuple(numbers),
                column=column_facts("phone", False, ENTITIES),
                entities=ENTITIES,
                min_score=0.4,
                config=AnalyzerConfig(),
            )
        )
    ]
    assert tally.entities["PHONE_NUMBER"].hits == 40
    assert calls.count(8) == 3  # the three values that gave the examples


def test_a_spacy_model_keeps_the_whole_recognizer() -> None:
    """With a model, words around a span raise its score: spans matter on every value."""
    assert region_matchers(AnalyzerConfig(nlp_model="en_core_web_sm")) == ()
