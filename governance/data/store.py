"""The datasets of one audit, loaded into an in-process DuckDB database on first use.

Each file is parsed once, whatever the number of rules that query it; checks then query the
loaded table (columnar, out of core when large). In-memory frames (pandas, pyarrow, polars)
passed through the Python API are registered without a copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from governance.errors import InputError, SourceLocation
from governance.manifest import DatasetSpec

_READERS = {
    "csv": "read_csv(?, header = true)",
    "parquet": "read_parquet(?)",
    "jsonl": "read_json(?, format = 'newline_delimited')",
}
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

    def column_types(self, name: str) -> dict[str, str]:
        """DuckDB type names (`VARCHAR`, `DOUBLE`, `BIGINT`, ...) by column."""
        relation = self.table(name)
        pairs = zip(relation.columns, relation.types, strict=True)
        return {column: str(kind) for column, kind in pairs}

    def query(
        self, name: str, sql: Callable[[str], str], parameters: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """Run the statement `sql(table)` builds around the dataset's quoted table name, with
        `?` parameters (values from policies are always passed as parameters, never spliced
        into the SQL).

        The table name goes in while the statement is built, beside the column names, and
        nothing is substituted afterwards: a column named `{dataset}` (or anything else) stays
        an identifier and can never be reinterpreted as SQL."""
        self.table(name)
        with self._lock:
            statement = sql(quote_identifier(self._loaded[name]))
            return self._connection.execute(statement, list(parameters)).fetchall()

    def close(self) -> None:
        self._connection.close()

    def _load(self, name: str) -> str:
        table = f"dataset_{len(self._loaded)}"
        if name in self._frames:
            self._connection.register(table, self._frames[name])
            return table
        spec = self._specs[name]
        if spec.path is None:
            raise InputError(f"dataset '{name}' has no path and no in-memory frame")
        reader = _READERS[dataset_format(spec)]
        try:
            self._connection.execute(
                f'CREATE TABLE "{table}" AS SELECT * FROM {reader}', [str(spec.path)]
            )
        except duckdb.Error as error:
            raise InputError(
                f"dataset '{name}' could not be read as {dataset_format(spec)}: "
                f"{_first_line(error)}",
                location=SourceLocation(Path(spec.path)),
            ) from None
        return table


def quote_identifier(name: str) -> str:
    """A column or table name as a DuckDB identifier, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: Exception) -> str:
    """DuckDB's first line names the problem; later lines may quote the data, which may hold
    personal data, so they are never shown."""
    return str(error).splitlines()[0][:200]
