"""Where the files an audit reads may be: the manifest's folder, and folders the user allowed.

Manifests, policies and waivers may come from an untrusted pull request, so every path they
name goes through `InputScope.confine`: it is resolved (symlinks included), must land inside
the manifest's folder or a folder allowed on the command line (`--allow-path DIR`), and must be
a regular file (a device, FIFO or socket would hang the audit or read what it should not).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from governance.config.suggestions import closest
from governance.errors import UsageError
from governance.regular_files import file_kind

WIDEN_HINT = (
    "to read files elsewhere, allow their folder with --allow-path DIR (allow_paths= in the "
    "Python API)"
)


class PathRefused(ValueError):
    """A path an input file names that the audit will not read; the reason quotes no content."""

    def __init__(self, reason: str, hint: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


@dataclass(frozen=True)
class InputScope:
    """The folders (real paths) inputs may be read from; `base` is the manifest's folder."""

    base: Path
    allowed: tuple[Path, ...] = ()
    base_name: str = "the manifest's folder"
    """How errors name `base`."""

    @classmethod
    def around(
        cls, anchor: Path, allowed: Iterable[Path] = (), base_name: str = "the manifest's folder"
    ) -> InputScope:
        """The scope of the file `anchor` (a manifest): its folder, plus `allowed` folders."""
        folders = []
        for folder in allowed:
            real = Path(os.path.realpath(Path(folder).expanduser()))
            if not real.is_dir():
                raise UsageError(f"--allow-path {folder}: not a folder")
            folders.append(real)
        base = Path(os.path.realpath(anchor.parent))
        return cls(base=base, allowed=tuple(folders), base_name=base_name)

    @property
    def roots(self) -> tuple[Path, ...]:
        return (self.base, *self.allowed)

    def confine(self, written: str | Path, relative_to: Path | None = None) -> Path:
        """The real path of the regular file `written` names (relative to `relative_to`, by
        default the manifest's folder); raises `PathRefused` when it is missing, outside the
        scope, or not a regular file."""
        path = Path(written).expanduser()
        if not path.is_absolute():
            path = (relative_to if relative_to is not None else self.base) / path
        real = Path(os.path.realpath(path))
        if not any(real.is_relative_to(root) for root in self.roots):
            shown = "" if real == path else f" (it leads to {real.as_posix()})"
            where = self.base_name + (" or an allowed folder" if self.allowed else "")
            raise PathRefused(f"'{written}' is outside {where}{shown}", WIDEN_HINT)
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            missing = Path(written).as_posix()
            raise PathRefused(f"{missing} not found{_sibling(written, real)}") from None
        except OSError as error:
            raise PathRefused(f"'{written}' cannot be read: {error.strerror}") from None
        if not stat.S_ISREG(mode):
            raise PathRefused(f"'{written}' is {file_kind(mode)}, not a regular file")
        return real

    def confine_tree(self, written: str | Path) -> Path:
        """`confine` for a path that may also be a folder (a dataset Spark reads as a folder of
        parts): the folder and everything under it must be inside the scope, and hold only
        folders and regular files (a link out of it would reach what the scope forbids)."""
        path = Path(written).expanduser()
        real = Path(os.path.realpath(path if path.is_absolute() else self.base / path))
        if not real.is_dir():
            return self.confine(written)
        self.confine_folder(written, real)
        for folder, folders, files in os.walk(real):
            for entry in (*folders, *files):
                inside = Path(folder) / entry
                if Path(os.path.realpath(inside)) != inside:
                    shown = inside.relative_to(real).as_posix()
                    raise PathRefused(f"'{written}' holds a link ({shown}), which is not read")
                if entry in files:
                    self.confine(inside)
        return real

    def confine_folder(self, written: str | Path, real: Path) -> None:
        if not any(real.is_relative_to(root) for root in self.roots):
            where = self.base_name + (" or an allowed folder" if self.allowed else "")
            raise PathRefused(f"'{written}' is outside {where}", WIDEN_HINT)


_SIBLINGS_READ = 1000
"""Entries of a folder looked at for a misspelt file name (a folder of a million files is not
listed whole for a suggestion)."""


def _sibling(written: str | Path, real: Path) -> str:
    """` (did you mean 'data/applicants.csv'?)` for the file beside the missing one whose name
    is closest, written the way the user wrote the missing one; empty when none is close."""
    try:
        with os.scandir(real.parent) as entries:
            names = [
                entry.name
                for _, entry in zip(range(_SIBLINGS_READ), entries, strict=False)
                if entry.is_file(follow_symlinks=False)
            ]
    except OSError:
        return ""
    close = closest(real.name, names)
    return f" (did you mean '{Path(written).with_name(close).as_posix()}'?)" if close else ""
