"""Creating an output folder, and writing one file into it atomically (a new certificate
beside its key). A whole report set is published by `governance.report_folder.publishing`."""

from __future__ import annotations

import os
import tempfile
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


def write_file_atomically(path: Path, content: bytes) -> Path:
    """Write `path` through a temporary file renamed over it: readers see the old file or the
    new one, and a failure leaves the old one. `OutputError` naming the file on failure."""
    descriptor, temporary = -1, ""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write the file: {error.strerror}", location=SourceLocation(path)
        ) from None
    return path
