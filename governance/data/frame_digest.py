"""The digest of a dataset passed in memory: what the audit read, not a file of the same name.

A frame has no file, so its sha256 is taken over a canonical serialisation of what DuckDB
reads from it (a pandas index is not read; a column of mixed Python objects is read as text):
its columns in order, as an Arrow IPC stream without schema metadata, in record batches of a
fixed number of rows whatever the frame's chunking. The same data read as the same column
types gives the same digest, be it a pandas, polars or pyarrow frame. The stream is hashed as
it is written, one batch at a time, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyarrow as pa

BATCH_ROWS = 65_536


def arrow_stream_sha256(reader: pa.RecordBatchReader) -> tuple[str, int]:
    """(hex digest, bytes serialised) of the canonical IPC stream of what `reader` yields."""
    schema = reader.schema.remove_metadata()
    sink = _HashingSink()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in _fixed_batches(reader, schema):
            writer.write_batch(batch)
    return sink.digest.hexdigest(), sink.size


def _fixed_batches(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """The rows of `batches` as batches of `BATCH_ROWS` (the last one shorter), each column
    copied into buffers of its own: a slice of a larger array is serialised differently
    (offsets, validity bitmap) from the same values in an array of their own."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        pending.append(batch.replace_schema_metadata(None))
        rows += batch.num_rows
        while rows >= BATCH_ROWS:
            table = pa.Table.from_batches(pending, schema)
            yield _copied(table.slice(0, BATCH_ROWS), schema)
            pending, rows = table.slice(BATCH_ROWS).to_batches(), rows - BATCH_ROWS
    if rows:
        yield _copied(pa.Table.from_batches(pending, schema), schema)


def _copied(rows: pa.Table, schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [pa.concat_arrays(column.chunks) for column in rows.columns], schema=schema
    )


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
