"""Which values of a column count as missing, in the data engine's SQL: one definition for
every check that reads outcomes, scores or features."""

from __future__ import annotations

from governance.data.column_types import is_floating, is_text
from governance.data.store import quote_identifier


def missing_value(column: str, data_type: str) -> str:
    """SQL true where a column has no usable value: NULL; NaN or ±infinity in a
    floating-point column (no rate, median or bin can be taken over them); an empty or blank
    text (a CSV cell or a frame's "" left empty)."""
    quoted = quote_identifier(column)
    if is_floating(data_type):
        return f"({quoted} IS NULL OR NOT isfinite({quoted}))"
    if is_text(data_type):
        return f"({quoted} IS NULL OR trim({quoted}, ' \t\n\r\f\v') = '')"
    return f"({quoted} IS NULL)"
