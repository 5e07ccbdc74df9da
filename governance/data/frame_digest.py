"""The digest of a dataset passed in memory: what the audit read, not a file of the same name.

A frame has no file, so its sha256 is taken over a canonical serialisation of what DuckDB
reads from it: its columns in order (a pandas index is not a column), as an Arrow IPC stream
without schema metadata (pandas writes its version there), in record batches of a fixed number
of rows whatever the frame's chunking. The same data and column types give the same digest.
The stream is hashed as it is written, one batch at a time, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from governance.errors import InputError

_BATCH_ROWS = 65_536


def frame_sha256(name: str, frame: Any) -> tuple[str, int]:
    """(hex digest, bytes serialised) of the frame passed for dataset `name`."""
    schema, batches = _record_batches(name, frame)
    sink = _HashingSink()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return sink.digest.hexdigest(), sink.size


def _record_batches(name: str, frame: Any) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        schema = pa.Schema.from_pandas(frame, preserve_index=False).remove_metadata()
        return schema, _pandas_batches(frame, schema)
    try:
        table = pa.table(frame)  # pyarrow tables and batches; polars and others by the Arrow
    except (TypeError, ValueError, pa.ArrowException):  # C stream interface
        raise InputError(
            f"datasets= passes a {type(frame).__name__} for dataset '{name}'",
            hint="pass a pandas, polars or pyarrow frame",
        ) from None
    table = table.replace_schema_metadata(None)
    return table.schema, _table_batches(table)


def _pandas_batches(frame: Any, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    for start in range(0, len(frame), _BATCH_ROWS):
        rows = frame.iloc[start : start + _BATCH_ROWS]
        yield pa.RecordBatch.from_pandas(rows, schema=schema, preserve_index=False)


def _table_batches(table: pa.Table) -> Iterator[pa.RecordBatch]:
    # Each column of a batch is copied into fresh buffers (concat_arrays): a slice of a
    # larger array is written differently (offsets, validity bitmap) from the same values in
    # an array of their own.
    for start in range(0, table.num_rows, _BATCH_ROWS):
        rows = table.slice(start, _BATCH_ROWS)
        columns = [pa.concat_arrays(column.chunks) for column in rows.columns]
        yield pa.RecordBatch.from_arrays(columns, schema=table.schema)


class _HashingSink:
    """A write-only file object that hashes what pyarrow writes to it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data: bytes | memoryview) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True
