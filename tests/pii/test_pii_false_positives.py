"""The known false positives of presidio's recognizers are dropped, and only those."""

from __future__ import annotations

import random
from typing import Any

from governance.checks.pii.column_context import column_facts
from governance.checks.pii.false_positives import may_explain_every_digit, phone_is_moot
from governance.checks.pii.scanner import BatchTally, ScanBatch, scan_batch
from governance.personal_data.analyzer import AnalyzerConfig
from governance.personal_data.prefilter import PHONE_MIN_DIGITS, possible_entities


def scan(
    values: list[str], column: str, entities: tuple[str, ...], numeric: bool = False
) -> BatchTally:
    return scan_batch(
        ScanBatch(
            job=0,
            values=tuple(values),
            column=column_facts(column, numeric, entities),
            entities=entities,
            min_score=0.4,
            config=AnalyzerConfig(),
        )
    )


def hits(tally: BatchTally, entity: str) -> int:
    found = tally.entities.get(entity)
    return 0 if found is None else found.hits


def test_integers_are_not_phone_or_nhs_numbers_unless_the_column_says_so(analyzer: Any) -> None:
    rng = random.Random(7)
    numbers = [str(rng.randrange(10**9, 10**10)) for _ in range(200)]
    entities = ("PHONE_NUMBER", "UK_NHS")
    # presidio itself flags most of them
    raw = sum(bool(analyzer.analyze(n, language="en", entities=list(entities))) for n in numbers)
    assert raw > 100
    assert hits(scan(numbers, "customer_id", entities, numeric=True), "PHONE_NUMBER") == 0
    assert hits(scan(numbers, "customer_id", entities, numeric=True), "UK_NHS") == 0
    assert hits(scan(numbers, "phone", entities, numeric=True), "PHONE_NUMBER") > 100
    assert hits(scan(numbers, "nhs_number", entities, numeric=True), "UK_NHS") > 0


def test_an_email_is_not_also_a_url() -> None:
    tally = scan(
        ["write to jane.doe@example.org", "see https://www.acme.com/jobs"], "notes", ("URL",)
    )
    assert hits(tally, "URL") == 1
    assert "EMAIL_ADDRESS" not in tally.entities  # analysed only to recognise the URL inside


def test_bare_numbers_are_not_dates() -> None:
    tally = scan(["1999", "20261126", "3.5", "born 2024-01-15"], "remarks", ("DATE_TIME",))
    assert hits(tally, "DATE_TIME") == 1


def test_short_codes_are_not_driver_licences() -> None:
    codes = ["H1", "A100000", "B2", "X9Z"]
    assert hits(scan(codes, "grade", ("US_DRIVER_LICENSE",)), "US_DRIVER_LICENSE") == 0
    licences = ["D1234567", "S12345678"]
    named = scan(licences, "driver_license", ("US_DRIVER_LICENSE",))
    assert hits(named, "US_DRIVER_LICENSE") == 2


def test_a_us_phone_number_is_a_phone_not_an_nhs_number() -> None:
    tally = scan(["call back on 212-555-0113 after 5pm"], "notes", ("PHONE_NUMBER", "UK_NHS"))
    assert hits(tally, "PHONE_NUMBER") == 1
    assert hits(tally, "UK_NHS") == 0


def test_real_identifiers_still_count() -> None:
    values = ["jane.doe@example.com", "ssn 536-22-8726", "card 4111 1111 1111 1111"]
    entities = ("EMAIL_ADDRESS", "US_SSN", "CREDIT_CARD")
    tally = scan(values, "free_text", entities)
    assert {e: hits(tally, e) for e in entities} == dict.fromkeys(entities, 1)
    assert tally.entities["EMAIL_ADDRESS"].examples == ["j***@e***.com"]


def test_prefilter_rules_out_only_impossible_values() -> None:
    assert possible_entities("no at sign here 12345", ("EMAIL_ADDRESS",)) == ()
    assert possible_entities("no digits at all", ("PHONE_NUMBER", "US_SSN", "CREDIT_CARD")) == ()
    assert possible_entities("12-34", ("US_SSN", "PHONE_NUMBER")) == ("PHONE_NUMBER",)
    assert possible_entities("room 12", ("PHONE_NUMBER",)) == ()
    assert possible_entities("a@b.c", ("EMAIL_ADDRESS", "URL")) == ("EMAIL_ADDRESS", "URL")


def test_prefiltered_values_are_counted_as_scanned_but_not_analysed() -> None:
    tally = scan(["alpha", "beta", "gamma@example.com"], "notes", ("EMAIL_ADDRESS",))
    assert (tally.scanned, tally.analysed, hits(tally, "EMAIL_ADDRESS")) == (3, 1, 1)


def test_phone_minimum_matches_phonenumbers_metadata(analyzer: Any) -> None:
    from phonenumbers import PhoneMetadata
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    recognizer = PhoneRecognizer()
    assert recognizer.leniency == 1  # phonenumbers.Leniency.VALID: possible lengths apply
    shortest = min(
        min(PhoneMetadata.metadata_for_region(region).general_desc.possible_length)
        for region in recognizer.supported_regions
    )
    assert shortest == PHONE_MIN_DIGITS


def test_digit_strings_are_not_phone_numbers_unless_the_column_says_so() -> None:
    rng = random.Random(11)
    zips = [f"{rng.randrange(10**4, 10**5)}" for _ in range(100)]
    order_numbers = [str(rng.randrange(10**9, 10**10)) for _ in range(100)]
    entities = ("PHONE_NUMBER",)
    assert hits(scan(zips, "zip_code", entities), "PHONE_NUMBER") == 0
    assert hits(scan(order_numbers, "order_number", entities), "PHONE_NUMBER") == 0
    assert hits(scan(order_numbers, "mobile_phone", entities), "PHONE_NUMBER") > 50
    # written as a phone number, it still counts in any column
    assert hits(scan(["call (212) 555-0147"], "comment", entities), "PHONE_NUMBER") == 1


def test_a_phone_inside_a_card_number_or_uuid_is_not_a_phone() -> None:
    values = [
        "4111 1111 1111 1111",
        "card 5500-0000-0000-0004",
        "3f2a9c1e-5b7d-4e2a-9c1e-5b7d4e2a9c1e",
    ]
    tally = scan(values, "payment", ("PHONE_NUMBER", "CREDIT_CARD"))
    assert hits(tally, "PHONE_NUMBER") == 0
    assert hits(tally, "CREDIT_CARD") == 2
    assert "UUID" not in tally.entities  # analysed only to recognise the phone inside


IDENTIFIER_SHAPED = [
    "536-22-8726",  # an SSN: presidio's phone matcher reads it as a phone number
    "536 22 8726",
    "4111 1111 1111 1111",
    "4111-1111-1111-1112",  # fails the Luhn check: no card, so the phone matcher must run
    "3f2a9c1e-5b7d-4e2a-9c1e-5b7d4e2a9c1e",
    "GB82WEST12345698765432",
    "GB82 WEST 1234 5698 7654 32",
    "212-555-0113",  # a phone number shaped like digits and hyphens
    "555 123 4567",
    "000-00-0000",  # not a valid SSN
    "123456789",
    "536-22-8726 212-555-0113",  # an SSN and a phone number
    "536-22-8726 4111 1111 1111 1111",  # two identifiers
    "ssn 536-22-8726",  # words around an identifier
    "card 4111-1111-1111-1112 declined",  # not a card (Luhn): the phone matcher must run
    "Call 212-555-0113 after 5pm.",
    "order 3f2a9c1e-5b7d-4e2a-9c1e-5b7d4e2a9c1e, call 212 555 0113",
]


def test_skipping_the_phone_matcher_on_identifiers_changes_no_result(monkeypatch: Any) -> None:
    from governance.checks.pii import scanner

    entities = ("PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS")
    for column in ("reference", "phone"):
        shortcut = scan(IDENTIFIER_SHAPED, column, entities)
        with monkeypatch.context() as patched:
            patched.setattr(scanner, "may_explain_every_digit", lambda text: False)
            whole = scan(IDENTIFIER_SHAPED, column, entities)
        assert {e: vars(t) for e, t in shortcut.entities.items()} == {
            e: vars(t) for e, t in whole.entities.items()
        }
    assert hits(shortcut, "US_SSN") == 5 and hits(shortcut, "PHONE_NUMBER") >= 2


def test_words_around_an_identifier_still_take_the_shortcut() -> None:
    assert may_explain_every_digit("ssn 536-22-8726")
    assert may_explain_every_digit("card 4111 1111 1111 1111 on file")
    assert not may_explain_every_digit("Call 212-555-0113 after 5pm.")
    assert not may_explain_every_digit("call +1 212 555 0113")
    assert not may_explain_every_digit("no digits here")


def test_the_phone_matcher_is_moot_only_where_identifiers_hold_every_digit(analyzer: Any) -> None:
    identifiers = ["US_SSN", "CREDIT_CARD", "IBAN_CODE", "UUID"]
    for text, moot in [
        ("536-22-8726", True),
        ("4111 1111 1111 1111", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("3f2a9c1e-5b7d-4e2a-9c1e-5b7d4e2a9c1e", True),
        ("212-555-0113", False),
        ("4111-1111-1111-1112", False),
        ("536-22-8726 212-555-0113", False),
    ]:
        results = analyzer.analyze(text=text, language="en", entities=identifiers)
        assert phone_is_moot(results, text) is moot, text


SHAPED_TEXTS = (
    "203.0.113.77",
    "host 10.0.0.1/24 up",
    "::1",
    "fe80::1ff:fe23:4567:890a",
    "::ffff:192.0.2.128",
    "1::",
    "fe80:1ff",
    "dead:beef",
    "policy builtin:baseline",
    "v1.2.3",
    "1.2.3.4",
    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "pay 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 now",
    "13 short",
    "GB82 WEST 1234 5698 7654 32",
    "iban gb82west12345698765432",
    "DE89-3704-0044-0532-0130-00",
    "A12345678",
    "passport 123456789",
    "account 12345678901",
    "race_0 & age=age_12",
)


def test_ip_and_wallet_prefilter_keeps_every_value_presidio_matches(analyzer: Any) -> None:
    for text in SHAPED_TEXTS:
        found = {
            r.entity_type
            for r in analyzer.analyze(text=text, language="en", entities=["IP_ADDRESS", "CRYPTO"])
        }
        assert found <= set(possible_entities(text, ("IP_ADDRESS", "CRYPTO"))), text
    assert possible_entities("model_card v1.2", ("IP_ADDRESS", "CRYPTO")) == ()
    assert possible_entities("builtin:baseline", ("IP_ADDRESS",)) == ()
    assert possible_entities("section 'Limitations' is missing", ("CRYPTO",)) == ()


DIGIT_STRINGS = [
    "10001",
    "94107",
    "4829103347",
    "4111111111111111",
    "0207 946 0018",
    "212-555-0113",
]


def test_entities_a_rule_would_drop_are_not_asked_for_and_no_result_changes(
    monkeypatch: Any,
) -> None:
    from governance.checks.pii import scanner

    entities = ("PHONE_NUMBER", "UK_NHS", "CREDIT_CARD", "US_DRIVER_LICENSE")
    for column, numeric in [
        ("zip_code", False),
        ("phone", False),
        ("nhs_number", False),
        ("card_number", False),
        ("amount", True),
        ("phone", True),
    ]:
        values = DIGIT_STRINGS if not numeric else [v for v in DIGIT_STRINGS if v.isdigit()]
        skipped = scan(values, column, entities, numeric)
        with monkeypatch.context() as patched:
            patched.setattr(scanner, "entities_worth_asking", lambda text, facts, asked: asked)
            whole = scan(values, column, entities, numeric)
        assert {e: vars(t) for e, t in skipped.entities.items()} == {
            e: vars(t) for e, t in whole.entities.items()
        }, column
        if column in ("phone", "nhs_number"):
            assert skipped.entities, column
    # Digit strings in a column named for none of them: only the card number reaches presidio.
    assert scan(DIGIT_STRINGS[:4], "zip_code", entities).analysed == 1
    assert scan(DIGIT_STRINGS[:4], "amount", entities, numeric=True).analysed == 0
