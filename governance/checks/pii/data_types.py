"""How the scanner treats a column by its DuckDB type."""

from __future__ import annotations


def type_note(data_type: str) -> str | None:
    """A remark for the evidence when a column's values are not plain text."""
    upper = data_type.upper()
    if upper == "BLOB":
        return "binary values scanned as text (bytes that are not ASCII are escaped)"
    if upper.startswith(("STRUCT", "MAP", "UNION", "JSON")) or upper.endswith("]"):
        return "nested values scanned as their text form"
    return None
