"""Publishing a report folder: readers see the old complete set or the new one, never a mix,
and nothing the tool did not write is ever deleted.

The scheme. Every file of the new set is written into a hidden sibling folder,
`.NAME.staging-<random>` (same file system, so renames are atomic), starting with the index
(`.governance-index.json`, the names of the files the tool writes), and flushed to disk. The
staged folder then takes the place of `NAME` in one step (`swap`: an atomic exchange on Linux,
two renames elsewhere). The previous folder, now at the staging path, is retired (`leftovers`):
the files its index names are removed, anything else is moved back into `NAME`.

Why a swapped folder rather than a symbolic link to a content folder: `NAME` stays a plain
folder that users, scripts and `governance verify` read like any other, and files of their own
kept in it stay there. Why not rename file by file: a reader (or a run killed midway) would see
old and new reports side by side.

Guards, all under a lock beside the folder (`lock`): the root, the home folder, the current
folder and the manifest's folder (or one holding them) are refused, and so is a folder reached
through a symbolic link (`targets`); a non-empty
folder without an index is someone else's and is refused unless `force`; a file of someone
else's with the name of a report is refused even then (it would be replaced). Staging folders a
killed run left behind are retired by the next run.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from governance.errors import OutputError, SourceLocation
from governance.report_folder import swap
from governance.report_folder.index import INDEX_FILE, index_bytes, read_index
from governance.report_folder.leftovers import leftover_folders, new_staging_path, retire
from governance.report_folder.lock import folder_lock
from governance.report_folder.targets import refuse_linked_target, refuse_unsafe_target
from governance.text_escaping import escape_controls


@dataclass(frozen=True)
class PublishedReports:
    files: tuple[Path, ...]
    """The report files written (the index left out), under the folder as the user named it."""
    warnings: tuple[str, ...] = ()
    """Clean-up that did not finish (it resumes on the next run): said, not fatal."""


def publish_reports(
    folder: Path,
    files: Mapping[str, str | bytes],
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
) -> PublishedReports:
    """Make `folder` hold exactly `files` (plus the index, and any files of someone else's
    already in it). `OutputError`, with the folder as it was, when that cannot be done."""
    refuse_linked_target(folder)
    target = folder.resolve()
    refuse_unsafe_target(target, protected)
    contents = _with_index(files)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the output folder: {error.strerror}", location=SourceLocation(folder)
        ) from None
    with folder_lock(target):
        _check_existing(target, set(contents), force=force)
        staged = _stage(target, contents)
        try:
            swapped_out = swap.swap_in(staged, target)
        except OSError as error:
            _discard(staged, target)
            raise OutputError(
                f"cannot put the reports in place ({error.strerror}); no report was written",
                location=SourceLocation(target),
            ) from None
        warnings = _retire_leftovers(target, swapped_out)
    return PublishedReports(
        files=tuple(folder / name for name in files if name != INDEX_FILE), warnings=warnings
    )


def _with_index(files: Mapping[str, str | bytes]) -> dict[str, bytes]:
    contents = {
        name: data.encode("utf-8") if isinstance(data, str) else data
        for name, data in files.items()
    }
    index = index_bytes(contents)
    if contents.setdefault(INDEX_FILE, index) != index:
        raise ValueError(f"{INDEX_FILE} given does not list the files given")
    return contents


def _check_existing(target: Path, names: set[str], *, force: bool) -> None:
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputError("the output path is not a folder", location=SourceLocation(target))
    if not os.access(target, os.W_OK):
        raise OutputError(
            "cannot write to the output folder (Permission denied); no report was written",
            location=SourceLocation(target),
        )
    try:
        entries = list(os.scandir(target))
    except OSError as error:
        raise OutputError(
            f"cannot read the output folder ({error.strerror}); no report was written",
            location=SourceLocation(target),
        ) from None
    present = {entry.name for entry in entries}
    links = sorted(entry.name for entry in entries if entry.is_symlink())
    if links:
        raise OutputError(
            f"{escape_controls(links[0])} in the folder is a symbolic link, which governance "
            "never writes: published with the reports, it would carry whatever it leads to",
            location=SourceLocation(target),
            hint="remove the link, or choose another --out",
        )
    written = read_index(target)
    if written is None and present and not force:
        raise OutputError(
            f"the folder is not empty and governance did not write it (it has no {INDEX_FILE})",
            location=SourceLocation(target),
            hint="choose another --out, or pass --force to write the reports beside its files "
            "(none of them is removed)",
        )
    theirs = present - (written or frozenset()) - ({INDEX_FILE} if written is not None else set())
    taken = sorted(theirs & names)
    if taken:
        raise OutputError(
            f"{escape_controls(taken[0])} in the folder was not written by governance, and a "
            "report of that name would replace it",
            location=SourceLocation(target),
            hint="move it away first (even --force never replaces a file governance did not write)",
        )


def _stage(target: Path, contents: Mapping[str, bytes]) -> Path:
    staged = new_staging_path(target)
    try:
        os.mkdir(staged, 0o777)  # the umask applies, as to any folder the user creates
        if target.is_dir():
            os.chmod(staged, stat.S_IMODE(os.stat(target).st_mode))
        # The index first: a run killed while staging leaves a folder that names its files.
        for name in (INDEX_FILE, *(n for n in contents if n != INDEX_FILE)):
            _write_durably(staged / name, contents[name])
        _sync_folder(staged)
    except OSError as error:
        _discard(staged, target)
        raise OutputError(
            f"cannot write to the output folder ({error.strerror}); no report was written",
            location=SourceLocation(target),
        ) from None
    return staged


def _write_durably(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # folders cannot be opened for fsync there
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _discard(staged: Path, target: Path) -> None:
    """Best effort: what stays behind is retired by the next run."""
    try:
        if os.path.lexists(staged):
            retire(staged, target)
    except OSError:
        pass


def _retire_leftovers(target: Path, swapped_out: Path | None) -> tuple[str, ...]:
    """Retire the folder swapped out just now (first: it holds the user's latest files), then
    any a killed run left; a failure is a warning (the reports are in place), and the next run
    resumes."""
    warnings: list[str] = []
    try:
        others = [old for old in leftover_folders(target) if old != swapped_out]
        for old in [swapped_out, *others] if swapped_out is not None else others:
            try:
                warnings += retire(old, target)
            except OSError as error:
                warnings.append(f"could not clear {old} ({error.strerror}); the next audit will")
        _sync_folder(target.parent)
    except OSError as error:
        warnings.append(f"could not clear old staging folders ({error.strerror})")
    return tuple(escape_controls(w) for w in warnings)
