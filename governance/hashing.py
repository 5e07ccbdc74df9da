"""SHA-256 of input files, streamed in chunks so a large dataset never sits in memory whole."""

from __future__ import annotations

import hashlib
from pathlib import Path

from governance.regular_files import open_regular_file

_CHUNK = 1024 * 1024


def file_sha256(path: Path) -> tuple[str, int]:
    """(hex digest, size in bytes) of the file."""
    digest = hashlib.sha256()
    size = 0
    with open_regular_file(path) as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
