"""Retiring a staging folder: what the tool wrote there goes, anything else goes back.

Every folder the publisher leaves beside the report folder is named `.NAME.staging-<random>`:
a staged set a killed run never swapped in, or a previous report folder swapped out. Its own
index names what the tool wrote into it; that is removed. Anything else is someone's file (one
that sat in the report folder beside the reports): it is moved back into the report folder, or,
when that name is taken or it is a symbolic link, left where it is and reported. Nothing the
tool did not write is ever deleted. The index goes last, so a run killed halfway leaves enough
for the next to finish."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from governance.report_folder.index import INDEX_FILE, read_index


def staging_prefix(folder: Path) -> str:
    return f".{folder.name}.staging-"


def new_staging_path(folder: Path) -> Path:
    return folder.parent / f"{staging_prefix(folder)}{secrets.token_hex(8)}"


def leftover_folders(folder: Path) -> tuple[Path, ...]:
    """Every staging folder of `folder` (its caller holds the folder's lock, so none is in
    use)."""
    prefix = staging_prefix(folder)
    with os.scandir(folder.parent) as entries:
        return tuple(
            Path(entry.path)
            for entry in sorted(entries, key=lambda e: e.name)
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False)
        )


def retire(old: Path, folder: Path) -> tuple[str, ...]:
    """Empty and remove the staging folder `old`, returning what could not be moved back into
    `folder` (left in `old`). Raises `OSError` when a step fails; the next run resumes."""
    written = read_index(old) or frozenset()
    with os.scandir(old) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    theirs = [e for e in entries if e.name != INDEX_FILE and not _tool_file(e, written)]
    kept = []
    for entry in theirs:
        # A link is never someone's report-folder file to keep: it could lead anywhere.
        if entry.is_symlink():
            kept.append(entry.name)
        elif folder.is_dir() and not os.path.lexists(folder / entry.name):
            os.rename(entry.path, folder / entry.name)
        else:
            kept.append(entry.name)
    for entry in entries:
        if _tool_file(entry, written):
            os.unlink(entry.path)
    if kept:
        return (
            f"{old} holds files not written by governance that could not be moved back "
            f"into {folder} (the name is taken there, or it is a symbolic link): {', '.join(kept)}",
        )
    if os.path.lexists(old / INDEX_FILE):
        os.unlink(old / INDEX_FILE)
    os.rmdir(old)
    return ()


def _tool_file(entry: os.DirEntry[str], written: frozenset[str]) -> bool:
    return entry.name in written and not entry.is_dir(follow_symlinks=False)
