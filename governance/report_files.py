"""Writing report files atomically: the whole set appears, or none of it does."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from governance.errors import OutputError, SourceLocation


def create_output_folder(folder: Path) -> None:
    """Create `folder` and its parents (an existing one is fine); `OutputError` naming it when
    it cannot be created."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the output folder: {error.strerror}", location=SourceLocation(folder)
        ) from None


def write_report_files(
    folder: Path, files: Mapping[str, str | bytes], stale: Iterable[str] = ()
) -> tuple[Path, ...]:
    """Write every file into `folder` (created if needed).

    Every file is first written to a temporary file beside its target; only when all of them
    are written are they renamed over their targets, so a full disk or an unwritable folder
    leaves no half-written report and no mix of old and new files. `stale` names files to
    delete instead (a format that could not be rendered), so that an older report is never
    taken for this audit's.
    """
    create_output_folder(folder)
    temporaries: dict[str, str] = {}
    try:
        for name, content in files.items():
            temporaries[name] = _write_temporary(folder, name, content)
    except OSError as error:
        for temporary in temporaries.values():
            Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write to the output folder ({error.strerror}); no report was written",
            location=SourceLocation(folder),
        ) from None
    written = []
    for name, temporary in temporaries.items():
        try:
            os.replace(temporary, folder / name)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise OutputError(
                f"cannot write {name}: {error.strerror}", location=SourceLocation(folder / name)
            ) from None
        written.append(folder / name)
    for name in stale:
        (folder / name).unlink(missing_ok=True)
    return tuple(written)


def _write_temporary(folder: Path, name: str, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
