"""A figure shown beside the bound it breaks, with the digits it takes to read as breaking it:
0.79996 against a minimum of 0.8 is shown 0.79996, never "0.800 is below the minimum 0.8"."""

from __future__ import annotations


def figure_past(value: float, bound: float, spec: str) -> str:
    """`value` formatted by `spec` (`.3f`, `.4g`, `.1%`), or with more digits until the text
    reads on the same side of `bound` as `value` is (both strictly)."""
    kind = spec[-1]
    digits = int(spec[1:-1])
    scale = 100.0 if kind == "%" else 1.0
    for shown_digits in range(digits, 18):
        shown = f"{value:.{shown_digits}{kind}}"
        read = float(shown.rstrip("%")) / scale
        if (read < bound) if value < bound else (read > bound):
            return shown
    return repr(value)
