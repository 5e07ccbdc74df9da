"""What `governance init` reads of a data file: its columns, their types, and what a bounded
sample of rows says about each (how many values, whether they are 0/1 or between 0 and 1).
No value leaves this module: a column's sample values may be personal data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.data.column_types import is_numeric
from governance.data.format_sniffing import check_content_matches
from governance.data.read_errors import describe_read_error
from governance.data.store import dataset_format, file_reader, quote_identifier
from governance.errors import InputError, SourceLocation
from governance.manifest import DatasetSpec

SAMPLE_ROWS = 10_000
_POSITIVE_WORDS = frozenset({"1", "true", "yes", "y", "positive", "pass", "selected"})
_NEGATIVE_WORDS = frozenset({"0", "false", "no", "n", "negative", "fail", "rejected"})


@dataclass(frozen=True)
class SampledColumn:
    name: str
    data_type: str
    distinct: int
    """Distinct non-null values in the sample."""
    binary: bool
    """Two values at most, each 0/1, true/false or yes/no: an outcome column."""
    positive: str | None
    """The value meaning selected, when it is a word such as `yes` (not needed for 0/1)."""
    unit_interval: bool
    """Numbers between 0 and 1 with more than two values: a probability."""


def sample_columns(path: Path) -> tuple[SampledColumn, ...]:
    """Each column of the data file `path`, described from its first `SAMPLE_ROWS` rows, read
    with the store's own readers so that init sees the columns and types an audit will."""
    import duckdb

    try:
        file_format = dataset_format(DatasetSpec(path=path))
    except InputError as error:
        raise InputError(
            error.message,
            location=error.location,
            hint="governance init reads .csv, .tsv, .parquet, .pq, .jsonl and .ndjson files",
        ) from None
    check_content_matches(path, file_format)
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET enable_progress_bar = false")
        connection.execute(
            f"CREATE TABLE sample AS SELECT * FROM {file_reader(path, file_format)} "
            f"LIMIT {SAMPLE_ROWS}"
        )
        types = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'sample' ORDER BY ordinal_position"
        ).fetchall()
        return tuple(_describe(connection, str(name), str(kind)) for name, kind in types)
    except duckdb.Error as error:
        raise InputError(
            f"'{path.name}' could not be read as {file_format}: "
            f"{describe_read_error(error, path, file_format)}",
            location=SourceLocation(path),
        ) from None
    finally:
        connection.close()


def _describe(connection: Any, name: str, data_type: str) -> SampledColumn:
    column = quote_identifier(name)
    numeric = is_numeric(data_type)
    low, high = (f"min({column})", f"max({column})") if numeric else ("NULL", "NULL")
    distinct, minimum, maximum = connection.execute(
        f"SELECT count(DISTINCT {column}), {low}, {high} FROM sample"
    ).fetchone()
    values = (
        [
            str(value).strip()
            for (value,) in connection.execute(
                f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM sample "
                f"WHERE {column} IS NOT NULL LIMIT 3"
            ).fetchall()
        ]
        if distinct <= 2
        else []
    )
    words = {value.lower() for value in values}
    binary = 0 < distinct <= 2 and words <= _POSITIVE_WORDS | _NEGATIVE_WORDS
    # 0/1 and true/false need no positive_label; a word (`yes`, `Y`) is named as written.
    positive = next((v for v in values if v.lower() in _POSITIVE_WORDS - {"1", "true"}), None)
    return SampledColumn(
        name=name,
        data_type=data_type,
        distinct=int(distinct),
        binary=binary,
        positive=positive if binary else None,
        unit_interval=numeric and distinct > 2 and minimum >= 0 and maximum <= 1,
    )
