"""What a column's DuckDB type says about its values."""

from __future__ import annotations

_NUMERIC = frozenset(
    {
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
        "REAL",
        "DECIMAL",
    }
)


def is_numeric(data_type: str) -> bool:
    """`DECIMAL(18,3)` and `BIGINT` are numbers; `VARCHAR`, `DATE`, `BLOB` are not."""
    return data_type.upper().split("(")[0] in _NUMERIC


def is_boolean(data_type: str) -> bool:
    return data_type.upper() == "BOOLEAN"


SHORT_TEXT_LENGTH = 48
"""No number, boolean or date is longer as text: a HUGEINT or a DECIMAL(38) takes 40
characters with its sign and point, a DOUBLE 24 (`-1.7976931348623157e+308`), a DATE 18
(`5877642-06-25 (BC)`)."""


def has_short_text(data_type: str) -> bool:
    """Whether every value of the type is at most `SHORT_TEXT_LENGTH` characters as text."""
    return is_numeric(data_type) or data_type.upper() in {"BOOLEAN", "DATE"}


_FLOATING = frozenset({"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"})
_TEXT = frozenset({"VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"})
_NESTED_PREFIXES = ("STRUCT", "MAP", "UNION")


def is_floating(data_type: str) -> bool:
    """Whether the column can hold NaN and ±infinity."""
    return data_type.upper() in _FLOATING


def is_text(data_type: str) -> bool:
    return data_type.upper().split("(")[0] in _TEXT


def nested_kind(data_type: str) -> str | None:
    """`STRUCT`, `MAP`, `UNION`, `LIST` (`INTEGER[]`) or `ARRAY` (`INTEGER[3]`) for a nested
    column, whose values are records or collections rather than one value; None otherwise."""
    upper = data_type.strip().upper()
    for prefix in _NESTED_PREFIXES:
        if upper.startswith(prefix + "(") or upper == prefix:
            return prefix
    if upper.endswith("[]"):
        return "LIST"
    if upper.endswith("]"):
        return "ARRAY"
    return None
