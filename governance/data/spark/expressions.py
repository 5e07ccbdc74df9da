"""Spark SQL expressions with the data interface's exact semantics (`governance.data.engine`):
missing values, values as text cut at a length, the seeded hash. Column names reach the SQL only
through `quote`; values from policies only as named parameters."""

from __future__ import annotations

from governance.data.column_types import is_floating, is_text

_BLANKS = " \\t\\n\\r\\f\\u000B"
"""Space, tab, newline, carriage return, form feed and vertical tab, as a Spark SQL literal's
escapes."""
HASH_DIGITS = 32


def quote(name: str) -> str:
    """A column or view name as a Spark SQL identifier, whatever characters it holds."""
    return "`" + name.replace("`", "``") + "`"


def missing(column: str, data_type: str) -> str:
    """SQL true where the column has no usable value (NULL; NaN or ±infinity in a floating
    column; a blank text in a text column)."""
    quoted = quote(column)
    if is_floating(data_type):
        return (
            f"({quoted} IS NULL OR isnan({quoted}) OR {quoted} = double('inf') "
            f"OR {quoted} = double('-inf'))"
        )
    if is_text(data_type):
        return f"({quoted} IS NULL OR trim(BOTH '{_BLANKS}' FROM {quoted}) = '')"
    return f"({quoted} IS NULL)"


def present(column: str, data_type: str) -> str:
    """The column, NULL where its value is missing."""
    if not (is_floating(data_type) or is_text(data_type)):
        return quote(column)
    return f"CASE WHEN {missing(column, data_type)} THEN NULL ELSE {quote(column)} END"


def finite_double(column: str, data_type: str) -> str:
    """The column cast to DOUBLE, NULL where missing."""
    return (
        f"CASE WHEN {missing(column, data_type)} THEN NULL ELSE CAST({quote(column)} AS DOUBLE) END"
    )


def as_text(column: str, data_type: str, max_length: int) -> str:
    """The value as text (as DuckDB casts it to VARCHAR for text, whole numbers, booleans and
    dates), cut at `max_length` code points."""
    text = quote(column) if is_text(data_type) else f"CAST({quote(column)} AS STRING)"
    return f"substring({text}, 1, {int(max_length)})"


def seeded_hash(text: str, seed: int) -> str:
    """`governance.data.engine.seeded_hash` as 32 hex digits whose text order is the order of
    the hash: MD5 of `'{seed}:' || text`, its 16 bytes read little-endian, so the bytes' hex
    pairs in reverse order."""
    return little_endian(seeded_digest(text, seed))


def seeded_digest(text: str, seed: int) -> str:
    """The MD5 digest behind `seeded_hash`, as the 32 hex digits Spark's `md5` gives."""
    return f"md5(concat('{int(seed)}:', {text}))"


def little_endian(digest: str, size: int = 16) -> str:
    """A `seeded_digest` as the hex digits of `seeded_hash` (its `size` most significant
    bytes). It names `digest` once per byte: given a column rather than the `md5` call, each
    value is digested once (Spark does not share a subexpression inside a CASE)."""
    pairs = [f"substring({digest}, {2 * i + 1}, 2)" for i in reversed(range(16 - size, 16))]
    return f"concat({', '.join(pairs)})"


def hash_literal(threshold: int) -> str:
    """A threshold as the hex text `seeded_hash` compares against."""
    return f"'{threshold:0{HASH_DIGITS}x}'"


def double_literal(value: float) -> str:
    """A finite float as a Spark SQL DOUBLE, exactly (repr round-trips)."""
    return f"CAST('{value!r}' AS DOUBLE)"
