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
