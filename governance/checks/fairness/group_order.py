"""The order groups are listed in: a feature whose every value holds a number (age bands,
income brackets) in the order of those numbers, so `under 25` comes before `25-39` and
`55 and over` after `40-54`, rather than alphabetically last; any other feature's values in
alphabetical order. An intersection follows the order of each feature in turn."""

from __future__ import annotations

import re
from collections.abc import Iterable

GroupKey = tuple[str, ...]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_BELOW = re.compile(r"^\s*(?:under|below|less than|fewer than|up to|<=?|≤)", re.IGNORECASE)
_ABOVE = re.compile(
    r"(?:and over|and above|or more|or older|\+)\s*$|^\s*(?:over|above|>=?|≥)", re.IGNORECASE
)

_SortKey = tuple[float, str]


def value_key(value: str) -> _SortKey | None:
    """Where a value holding a number sorts: by its first number, just before it for `under
    N`, just after any `N-M` for `N and over`; None when it holds no number."""
    match = _NUMBER.search(value)
    if match is None:
        return None
    number = float(match.group().replace(",", "."))
    if _BELOW.search(value):
        number -= 0.5
    elif _ABOVE.search(value):
        number += 0.5
    return number, value


def ordered_groups(keys: Iterable[GroupKey], width: int) -> list[GroupKey]:
    """`keys` (each a value per feature) in reading order."""
    keys = list(keys)
    orders = [_feature_order({key[i] for key in keys}) for i in range(width)]
    return sorted(keys, key=lambda key: tuple(orders[i][value] for i, value in enumerate(key)))


def _feature_order(values: set[str]) -> dict[str, int]:
    numbered = {value: value_key(value) for value in values}
    if all(key is not None for key in numbered.values()):
        ranked = sorted(values, key=lambda value: numbered[value] or (0.0, value))
    else:
        ranked = sorted(values)
    return {value: rank for rank, value in enumerate(ranked)}
