"""Folders a report set may never replace: publishing swaps the whole folder, so one that holds
the user's home, work or inputs would be moved aside with everything in it; and report folders
reached through a symbolic link the audited files may have planted."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from governance.errors import OutputError, SourceLocation
from governance.text_escaping import escape_controls


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


def refuse_linked_target(folder: Path) -> None:
    """`OutputError` when `folder` as named is a symbolic link, or is reached through one below
    the current folder. The current folder is often a checkout of the pull request under audit,
    which can hold links: one at `reports/governance` would send the reports, the lock and the
    staging folders anywhere this user can write, and with `--force` adopt that folder's files
    as the report folder's (which CI then uploads)."""
    named = Path(os.path.abspath(folder))
    current = Path(os.getcwd())
    on_the_way = [named]
    if named.is_relative_to(current):
        on_the_way += [p for p in named.parents if p.is_relative_to(current) and p != current]
    for path in on_the_way:
        if os.path.islink(path):
            shown = escape_controls(f"{path} -> {os.readlink(path)}")
            raise OutputError(
                f"the output folder is reached through a symbolic link ({shown}), which may "
                "lead anywhere; reports are written only where --out names",
                location=SourceLocation(folder),
                hint="name the folder the link leads to, if that is where the reports belong",
            )


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
