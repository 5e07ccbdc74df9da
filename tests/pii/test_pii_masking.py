"""Masked examples show the kind of value, never the value."""

from __future__ import annotations

import re

import pytest

from governance.personal_data.masking import mask


@pytest.mark.parametrize(
    ("entity", "raw", "masked"),
    [
        ("EMAIL_ADDRESS", "jane.doe@example.com", "j***@e***.com"),
        ("US_SSN", "536-22-8726", "***-**-8726"),
        ("CREDIT_CARD", "4111 1111 1111 1111", "*** *** *** 1111"),
        ("PHONE_NUMBER", "(646) 555-0199", "(***) ***-0199"),
        ("IBAN_CODE", "GB82WEST12345698765432", "***5432"),
    ],
)
def test_masked_forms(entity: str, raw: str, masked: str) -> None:
    assert mask(entity, raw) == masked


@pytest.mark.parametrize(
    ("entity", "raw"),
    [
        ("PHONE_NUMBER", "555-0199"),
        ("US_SSN", "123456789"),
        ("IP_ADDRESS", "203.0.113.77"),
        ("URL", "https://intranet.acme.example/people/jane"),
        ("PERSON", "Jane Doe"),
        ("UK_NHS", "943 476 5919"),
    ],
)
def test_masks_hide_most_of_the_value(entity: str, raw: str) -> None:
    masked = mask(entity, raw)
    assert raw not in masked
    visible = re.findall(r"[^\W_]", masked)
    assert len(visible) <= 4
    # short values (fewer than 9 digits) show no digit at all
    if sum(c.isdigit() for c in raw) < 9 and entity in {"PHONE_NUMBER", "US_SSN"}:
        assert not any(c.isdigit() for c in masked)
