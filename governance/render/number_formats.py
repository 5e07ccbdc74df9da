"""One format per kind of number in the report's evidence tables, chosen per column, so a
column never shows 0.176 above 0.1363: shares and hit rates as percentages with one decimal,
rates, ratios and differences with the same decimals down the column (three, or more when the
column holds smaller values), counts with thousands separators."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum

from governance.render.cells import cell_text
from governance.vocabulary.evidence_table import Cell


class NumberKind(Enum):
    SHARE = "share"
    """A fraction of a whole, shown as a percentage: 0.467 → 46.7%."""
    DECIMAL = "decimal"
    """A rate, ratio, difference or score: fixed decimals down the column."""


_SHARE_HEADERS = ("share", "hit rate", "upper bound", "bound if none")
_DECIMALS = 3
_MOST_DECIMALS = 6


def column_kind(header: str) -> NumberKind:
    """Shares are named as such by the evidence tables' headers; every other fraction is a
    rate, ratio or difference."""
    lowered = header.lower()
    return NumberKind.SHARE if any(h in lowered for h in _SHARE_HEADERS) else NumberKind.DECIMAL


def column_texts(header: str, cells: Sequence[Cell]) -> list[str]:
    """The column's cells as text, its numbers in one format."""
    floats = [
        c for c in cells if isinstance(c, float) and not isinstance(c, bool) and math.isfinite(c)
    ]
    if not floats:
        return [cell_text(c) for c in cells]
    kind = column_kind(header)
    if kind is NumberKind.SHARE:
        return [
            f"{c:.1%}" if isinstance(c, float) and math.isfinite(c) else cell_text(c) for c in cells
        ]
    if any(abs(c) >= 10_000 for c in floats):
        return [cell_text(c) for c in cells]  # large figures: thousands separators
    decimals = _column_decimals(floats)
    return [
        f"{c:.{decimals}f}" if isinstance(c, float) and math.isfinite(c) else cell_text(c)
        for c in cells
    ]


def _column_decimals(values: list[float]) -> int:
    """Three decimals, or enough for two significant digits of the column's smallest
    non-zero value (up to six)."""
    smallest = min((abs(v) for v in values if v), default=1.0)
    needed = 1 - math.floor(math.log10(smallest)) if smallest < 0.01 else _DECIMALS
    return min(max(needed, _DECIMALS), _MOST_DECIMALS)
