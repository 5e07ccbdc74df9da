"""The files a local Delta table's log names. Delta reads every data file by the path its log
gives, and a log may give an absolute path or a URI (shallow clones do): a Delta folder from an
untrusted pull request, confined file by file, could still read files anywhere. Every path
the log names must lie inside the folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

_ACTIONS = ("add", "remove", "cdc")


def names_outside(folder: Path) -> bool:
    """Whether the Delta log under `folder` names a data file (or deletion vector) that is not
    a relative path inside `folder`."""
    log = folder / "_delta_log"
    if not log.is_dir():
        return False
    for entry in sorted(log.rglob("*")):
        if entry.name.endswith(".json"):
            actions = _json_actions(entry)
        elif entry.name.endswith(".parquet"):
            actions = _checkpoint_actions(entry)
        else:
            continue
        if any(not _inside(path) for path in _paths(actions)):
            return True
    return False


def _inside(path: str) -> bool:
    decoded = unquote(path)
    if urlsplit(path).scheme or decoded.startswith("/"):
        return False
    return ".." not in PurePosixPath(decoded).parts


def _paths(actions: Iterator[dict[str, Any]]) -> Iterator[str]:
    for action in actions:
        for kind in _ACTIONS:
            found = action.get(kind)
            if not isinstance(found, dict):
                continue
            if isinstance(found.get("path"), str):
                yield found["path"]
            vector = found.get("deletionVector")
            # Storage type `p`: the deletion vector is read from an absolute path.
            if isinstance(vector, dict) and vector.get("storageType") == "p":
                yield "/" + str(vector.get("pathOrInlineDv", ""))


def _json_actions(entry: Path) -> Iterator[dict[str, Any]]:
    with entry.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                action = json.loads(line)
            except ValueError:  # not an action: Delta's reader refuses the log itself
                continue
            if isinstance(action, dict):
                yield action


def _checkpoint_actions(entry: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(entry)
        columns = [kind for kind in _ACTIONS if kind in schema.names]
        table = pq.read_table(entry, columns=columns)
    except Exception:  # noqa: BLE001 - not a checkpoint: Delta's reader refuses the log itself
        return
    yield from table.to_pylist()
