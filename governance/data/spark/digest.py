"""What an audit records of a Spark dataset's content, honestly.

- A local path (file or folder): the sha256 of each file, as every input file (the engine's
  input listing hashes them).
- A DataFrame passed in memory, or the model's predictions on Spark: the `partitions-sha256`
  scheme. The canonical digest of the DuckDB engine (one Arrow stream of every row in order)
  would need every row on the driver, so each partition's rows are hashed where they are, as
  the canonical stream of `governance.data.frame_digest`, and the digest is the sha256 of the
  lines `index:sha256:rows` of the partitions in order. Equal data in equal partitions give an
  equal digest; it is not comparable with a DuckDB digest of the same rows.
- A catalog table or a URI: its identity and, where the catalog knows one, its version (a
  Delta table's version, an Iceberg snapshot id), with a note that the content was not hashed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from governance.data.engine import ContentDigest

if TYPE_CHECKING:
    import pyarrow
    from pyspark.sql import DataFrame, SparkSession

SCHEME = "partitions-sha256"


def partitions_digest(frame: DataFrame) -> ContentDigest:
    """`SCHEME:<hex>` of `frame`'s rows, and the bytes hashed; one row per partition reaches
    the driver."""
    rows = (
        frame.mapInArrow(_hash_partition, "partition INT, sha256 STRING, rows BIGINT, size BIGINT")
        .orderBy("partition")
        .collect()
    )
    outer = hashlib.sha256()
    for row in rows:
        outer.update(f"{row['partition']}:{row['sha256']}:{row['rows']}\n".encode())
    return ContentDigest(f"{SCHEME}:{outer.hexdigest()}", sum(int(r["size"]) for r in rows))


def _hash_partition(batches: Iterator[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
    import pyarrow as pa
    from pyspark import TaskContext

    from governance.data.frame_digest import arrow_stream_sha256

    first = next(batches, None)
    context = TaskContext.get()
    partition = context.partitionId() if context is not None else 0
    if first is None:
        digest, size, rows = hashlib.sha256(b"").hexdigest(), 0, 0
    else:
        counted = [0]

        def every() -> Iterator[pyarrow.RecordBatch]:
            for batch in (first, *batches):
                counted[0] += batch.num_rows
                yield batch

        reader = pa.RecordBatchReader.from_batches(first.schema, every())
        digest, size = arrow_stream_sha256(reader)
        rows = counted[0]
    yield pa.RecordBatch.from_pydict(
        {"partition": [partition], "sha256": [digest], "rows": [rows], "size": [size]},
        schema=pa.schema(
            [
                ("partition", pa.int32()),
                ("sha256", pa.string()),
                ("rows", pa.int64()),
                ("size", pa.int64()),
            ]
        ),
    )


def table_identity(session: SparkSession, table: str) -> tuple[str, str | None]:
    """(the table's full name, its version where the catalog gives one: `delta:VERSION` or
    `iceberg:SNAPSHOT`)."""
    found: Any = session.catalog.getTable(table)
    parts = [found.catalog, *(found.namespace or ()), found.name]
    identity = ".".join(p for p in parts if p)
    for probe, prefix in (
        (f"DESCRIBE HISTORY {table} LIMIT 1", "delta"),
        (
            f"SELECT snapshot_id FROM {table}.snapshots ORDER BY committed_at DESC LIMIT 1",
            "iceberg",
        ),
    ):
        try:
            rows = session.sql(probe).collect()
        except Exception:  # not that kind of table: the catalog says nothing of a version
            continue
        if rows:
            return identity, f"{prefix}:{rows[0][0]}"
    return identity, None


def location_version(session: SparkSession, uri: str) -> str | None:
    """The Delta version of the Delta table at `uri`, if Delta says one."""
    quoted = "`" + uri.replace("`", "``") + "`"
    try:
        rows = session.sql(f"DESCRIBE HISTORY delta.{quoted} LIMIT 1").collect()
    except Exception:  # Delta cannot say: the version is unknown
        return None
    return f"delta:{rows[0][0]}" if rows else None
