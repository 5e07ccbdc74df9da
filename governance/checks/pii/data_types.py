"""How the scanner treats a column by its DuckDB type."""

from __future__ import annotations

_NUMERIC = (
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
)


def is_numeric(data_type: str) -> bool:
    return data_type.upper().split("(")[0] in _NUMERIC


def is_boolean(data_type: str) -> bool:
    return data_type.upper() == "BOOLEAN"


def type_note(data_type: str) -> str | None:
    """A remark for the evidence when a column's values are not plain text."""
    upper = data_type.upper()
    if upper == "BLOB":
        return "binary values scanned as text (bytes that are not ASCII are escaped)"
    if upper.startswith(("STRUCT", "MAP", "UNION", "JSON")) or upper.endswith("]"):
        return "nested values scanned as their text form"
    return None
