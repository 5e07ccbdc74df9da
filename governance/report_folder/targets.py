"""Folders a report set may never replace: publishing swaps the whole folder, so one that holds
the user's home, work or inputs would be moved aside with everything in it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from governance.errors import OutputError, SourceLocation


def refuse_unsafe_target(folder: Path, protected: Iterable[Path] = ()) -> None:
    """`OutputError` when `folder` (absolute, resolved) is the file-system root, or is or holds
    the home folder, the current folder, or any of `protected` (the manifest's folder)."""
    if folder == Path(folder.anchor):
        _refuse(folder, "the file-system root")
    guarded = [("your home folder", _home()), ("the current folder", Path.cwd().resolve())]
    guarded += [("the manifest's folder", p.resolve()) for p in protected]
    for description, path in guarded:
        if path is not None and (path == folder or folder in path.parents):
            _refuse(folder, description if path == folder else f"a folder holding {description}")


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no home folder known
        return None


def _refuse(folder: Path, what: str) -> None:
    raise OutputError(
        f"refusing to write reports into {what}",
        location=SourceLocation(folder),
        hint="the report folder is replaced as a whole: name a folder of its own, "
        "e.g. --out reports/NAME",
    )
