"""The index a report folder keeps of the files the tool wrote into it.

A later run removes only what the index names, and takes a non-empty folder without an index
for someone else's. The index lists names only, so it is the same bytes for the same set of
reports and can be attested with them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from governance.regular_files import open_regular_file

INDEX_FILE = ".governance-index.json"
_WRITER = "governance"
_MAX_INDEX_BYTES = 1024 * 1024
"""Far more than the names of every report the tool writes."""


def index_bytes(names: Iterable[str]) -> bytes:
    """The index of a report set holding the files `names` (the index itself is implied)."""
    listed = sorted(set(names) - {INDEX_FILE})
    document = {"files": listed, "written_by": _WRITER}
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


def read_index(folder: Path) -> frozenset[str] | None:
    """The names the index in `folder` lists, or None when it has no valid index (none at all,
    unreadable, or naming anything but plain file names)."""
    try:
        # Only a regular file, never through a link, and bounded: a folder beside the reports
        # may hold an index that leads to /dev/zero, or is a FIFO, or is huge.
        with open_regular_file(folder / INDEX_FILE, follow_symlinks=False) as stream:
            content = stream.read(_MAX_INDEX_BYTES + 1)
        if len(content) > _MAX_INDEX_BYTES:
            return None
        document = json.loads(content)
    except (OSError, ValueError, RecursionError):  # RecursionError: nested thousands deep
        return None
    if not isinstance(document, dict) or document.get("written_by") != _WRITER:
        return None
    names = document.get("files")
    if not isinstance(names, list) or not all(_plain_name(name) for name in names):
        return None
    return frozenset(names)


def _plain_name(name: object) -> bool:
    """A name inside the folder itself: an index can never make the tool touch a path
    elsewhere, nor the index itself."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..", INDEX_FILE)
        and not any(separator in name for separator in ("/", "\\", "\0"))
    )
