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


def digest_set(digest: str) -> dict[str, str]:
    """A recorded digest as an in-toto digest set: `{"sha256": HEX}`, or for a digest taken by
    another scheme (`partitions-sha256:HEX`, the model's predictions on Spark) the scheme's
    name as the algorithm."""
    scheme, separator, value = digest.partition(":")
    return {scheme: value} if separator else {"sha256": digest}
