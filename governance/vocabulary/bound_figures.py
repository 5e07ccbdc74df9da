"""A figure shown beside the bound it breaks, with the digits it takes to read as breaking it:
0.79996 against a minimum of 0.8 is shown 0.79996, never "0.800 is below the minimum 0.8"."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from governance.vocabulary.written_decimals import written_decimal


def figure_past(value: float, bound: float, spec: str) -> str:
    """`value` formatted by `spec` (`.3f`, `.4g`, `.1%`), or with more digits until the text
    reads on the same side of `bound` as `value` is (both strictly). The text is read as the
    decimal it is, against the bound as written: read back through floats, `1.1%` is
    0.011000000000000001, over a maximum of 0.011."""
    kind = spec[-1]
    digits = int(spec[1:-1])
    if not math.isfinite(value):
        return f"{value:{spec}}"
    scale = 100 if kind == "%" else 1
    written = written_decimal(bound)
    for shown_digits in range(digits, 18):
        shown = f"{value:.{shown_digits}{kind}}"
        read = Fraction(shown.rstrip("%")) / scale
        if (read < written) if value < bound else (read > written):
            return shown
    # The shortest decimal that is the float itself reads on its side of any bound it is not.
    return f"{Decimal(repr(value)) * 100}%" if kind == "%" else repr(value)
