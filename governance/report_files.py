"""Writing report files atomically: each file appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from governance.errors import OutputError, SourceLocation


def write_report_files(folder: Path, files: Mapping[str, str | bytes]) -> tuple[Path, ...]:
    """Write every file into `folder` (created if needed). Each is written to a temporary file
    beside its target and renamed over it, so a reader never sees a half-written report."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the output folder: {error.strerror}", location=SourceLocation(folder)
        ) from None
    written = []
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = folder / name
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        except OSError as error:
            raise OutputError(
                f"cannot write to the output folder: {error.strerror}",
                location=SourceLocation(folder),
            ) from None
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise OutputError(
                f"cannot write {name}: {error.strerror}", location=SourceLocation(target)
            ) from None
        written.append(target)
    return tuple(written)
