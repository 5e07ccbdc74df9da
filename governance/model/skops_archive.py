"""What loading a skops file would unpack, read from its zip directory and schema before skops
reads anything.

A skops file is a zip archive: `schema.json` describes the objects, and each array (or bytes,
or sparse matrix) is a member the schema names with `file`. skops unpacks a member into memory
each time a node names it, so a file of a hundred kilobytes whose schema names one compressed
gigabyte of zeros from many nodes asks for gigabytes (a zip bomb). The sizes the zip directory
declares bound what unpacking can give (Python's zipfile never yields more), so their sum over
the schema's references bounds what loading reads.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from governance.json_documents import loads_strict

MAX_UNPACKED_BYTES = 2 * 1024**3
"""As large as the largest artifact read (an uncompressed skops file unpacks to its size)."""

_SCHEMA = "schema.json"


def unpacked_bytes(content: bytes) -> int:
    """The bytes loading `content` would unpack: its schema, and each member once per node
    naming it; more than `MAX_UNPACKED_BYTES` when the schema alone is (it is then not read).
    Raises what zipfile or the strict JSON reader raise for a file that is not a skops file."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
        schema_size = sizes.get(_SCHEMA, 0)
        if schema_size > MAX_UNPACKED_BYTES:
            return schema_size
        schema = loads_strict(archive.read(_SCHEMA))
    return schema_size + sum(sizes.get(name, 0) for name in _named_members(schema))


def _named_members(schema: Any) -> Iterator[str]:
    """Every member a node of `schema` names (`file`), once per node."""
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if isinstance(node.get("file"), str) and "__loader__" in node:
                yield node["file"]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
