"""The datasets of one audit, loaded into an in-process DuckDB database on first use.

Each file is parsed once, whatever the number of rules that query it; checks then query the
loaded table (columnar, out of core when large). In-memory frames (pandas, pyarrow, polars)
passed through the Python API are registered without a copy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from governance.data.format_sniffing import check_content_matches
from governance.data.read_errors import describe_read_error
from governance.errors import InputError, SourceLocation
from governance.manifest import DatasetSpec

# The delimiter is fixed by the extension rather than sniffed: a sniffer faced with ragged rows
# silently settles on "one column", where we want an error naming the line. Lines up to 64 MB
# are accepted (huge cells are data, truncated by the checks that read them).
_READERS = {
    "csv": "read_csv(?, header = true, delim = ?, max_line_size = 67108864)",
    "parquet": "read_parquet(?)",
    "jsonl": "read_json(?, format = 'newline_delimited')",
}
_STATS_CHUNK = 200
"""Columns profiled per query: one pass over the table per chunk, not per column."""


@dataclass(frozen=True)
class ColumnProfile:
    """How much a column holds, counted on its values as text cut at `max_length`."""

    column: str
    data_type: str
    non_null: int
    distinct: int
    too_long: int
    """Values longer than `max_length` characters (they are truncated when read)."""


_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def dataset_format(spec: DatasetSpec) -> str:
    if spec.format is not None:
        return spec.format
    assert spec.path is not None
    suffix = spec.path.suffix.lower()
    if suffix not in _EXTENSIONS:
        raise InputError(
            f"cannot tell the format of '{spec.path.name}' from its extension",
            location=SourceLocation(spec.path),
            hint="add 'format: csv', 'format: parquet' or 'format: jsonl' to the dataset",
        )
    return _EXTENSIONS[suffix]


class DatasetStore:
    """Datasets by name; `table(name)` loads a dataset on first use and returns its relation."""

    def __init__(
        self, datasets: Mapping[str, DatasetSpec], frames: Mapping[str, Any] | None = None
    ):
        self._specs = dict(datasets)
        self._frames = dict(frames or {})
        self._connection = duckdb.connect(":memory:")
        self._loaded: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._connection

    def spec(self, name: str) -> DatasetSpec:
        return self._specs[name]

    def names(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """The dataset as a DuckDB relation over a table loaded once for this audit."""
        with self._lock:
            if name not in self._loaded:
                self._loaded[name] = self._load(name)
            return self._connection.table(self._loaded[name])

    def columns(self, name: str) -> tuple[str, ...]:
        return tuple(self.table(name).columns)

    def row_count(self, name: str) -> int:
        table = self._table_name(name)
        row = self._connection.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()
        return int(row[0]) if row else 0

    def column_types(self, name: str) -> dict[str, str]:
        """DuckDB's type of each column (VARCHAR, BIGINT, DOUBLE, BLOB, STRUCT(...), ...)."""
        relation = self.table(name)
        return {c: str(t) for c, t in zip(relation.columns, relation.types, strict=True)}

    def profile_columns(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, ColumnProfile]:
        """Non-null, distinct and over-long value counts per column, as text cut at
        `max_length` characters, a chunk of columns per pass over the table."""
        table = _quote(self._table_name(name))
        types = self.column_types(name)
        profiles: dict[str, ColumnProfile] = {}
        for start in range(0, len(columns), _STATS_CHUNK):
            chunk = columns[start : start + _STATS_CHUNK]
            parts = []
            for column in chunk:
                text = _as_text(column)
                parts.append(
                    f"count({_quote(column)}), count(DISTINCT left({text}, {int(max_length)})), "
                    f"count(*) FILTER (WHERE length({text}) > {int(max_length)})"
                )
            row = self._connection.execute(f"SELECT {', '.join(parts)} FROM {table}").fetchone()
            assert row is not None
            for index, column in enumerate(chunk):
                non_null, distinct, too_long = row[3 * index : 3 * index + 3]
                profiles[column] = ColumnProfile(
                    column, types[column], int(non_null), int(distinct), int(too_long)
                )
        return profiles

    def distinct_sample(
        self, name: str, column: str, size: int, seed: int, max_length: int
    ) -> list[str]:
        """Up to `size` distinct non-null values of `column` as text cut at `max_length`
        characters, chosen by a seeded hash of the value: the same data and seed give the same
        sample whatever the row order or the number of threads."""
        text = f"left({_as_text(column)}, {int(max_length)})"
        query = (
            f"SELECT v FROM (SELECT DISTINCT {text} AS v FROM {_quote(self._table_name(name))} "
            f"WHERE {_quote(column)} IS NOT NULL) ORDER BY hash(v, ?::BIGINT), v LIMIT ?"
        )
        rows = self._connection.execute(query, [seed, size]).fetchall()
        return [row[0] for row in rows]

    def distinct_batches(
        self, name: str, column: str, batch_size: int, max_length: int
    ) -> Iterator[list[str]]:
        """Every distinct non-null value of `column` as text cut at `max_length` characters,
        in batches: memory on the Python side is bounded by one batch (DuckDB spills to disk
        when the distinct set outgrows its memory limit)."""
        text = f"left({_as_text(column)}, {int(max_length)})"
        result = self._connection.execute(
            f"SELECT DISTINCT {text} FROM {_quote(self._table_name(name))} "
            f"WHERE {_quote(column)} IS NOT NULL"
        )
        while batch := result.fetchmany(batch_size):
            yield [row[0] for row in batch]

    def close(self) -> None:
        self._connection.close()

    def _table_name(self, name: str) -> str:
        self.table(name)
        return self._loaded[name]

    def _load(self, name: str) -> str:
        table = f"dataset_{len(self._loaded)}"
        if name in self._frames:
            self._connection.register(table, self._frames[name])
            return table
        spec = self._specs[name]
        if spec.path is None:
            raise InputError(f"dataset '{name}' has no path and no in-memory frame")
        file_format = dataset_format(spec)
        check_content_matches(spec.path, file_format)
        reader = _READERS[file_format]
        parameters: list[str] = [str(spec.path)]
        if file_format == "csv":
            parameters.append("\t" if spec.path.suffix.lower() == ".tsv" else ",")
        try:
            self._connection.execute(
                f'CREATE TABLE "{table}" AS SELECT * FROM {reader}', parameters
            )
        except duckdb.Error as error:
            raise InputError(
                f"dataset '{name}' could not be read as {file_format}: "
                f"{describe_read_error(error, spec.path, file_format)}",
                location=SourceLocation(Path(spec.path)),
            ) from None
        return table


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _as_text(column: str) -> str:
    return f"CAST({_quote(column)} AS VARCHAR)"
