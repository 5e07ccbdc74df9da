"""Groups are listed in reading order: numbered values (age bands) by their numbers."""

from __future__ import annotations

from governance.checks.fairness.group_order import ordered_groups


def test_age_bands_follow_their_numbers_not_the_alphabet() -> None:
    bands = [("25-39",), ("40-54",), ("55 and over",), ("under 25",)]
    assert ordered_groups(bands, 1) == [("under 25",), ("25-39",), ("40-54",), ("55 and over",)]
    assert ordered_groups([("65+",), ("18-24",), ("<18",)], 1) == [("<18",), ("18-24",), ("65+",)]


def test_named_values_stay_alphabetical_and_intersections_follow_each_feature() -> None:
    keys = [("Male", "55 and over"), ("Female", "25-39"), ("Male", "under 25"), ("Female", "x")]
    assert ordered_groups(keys, 2) == [
        ("Female", "25-39"),
        ("Female", "x"),  # a feature not wholly numbered sorts by name: '55…' < 'under…' < 'x'
        ("Male", "55 and over"),
        ("Male", "under 25"),
    ]
