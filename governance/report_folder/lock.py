"""One audit at a time per report folder: a lock file beside the folder.

A second audit on the same folder fails at once with a clear message rather than waiting: a CI
job that waits on another stays silent for minutes, and two audits writing one folder is almost
always a mistake. The lock file stays (removing it would race with a process that has just
opened it); it is tiny and hidden, and lies beside the folder, not in it."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from governance.errors import OutputError, SourceLocation

_HELD = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK})


def lock_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the lock of `folder` (an absolute path) for the duration; `OutputError` when
    another process holds it."""
    path = lock_path(folder)
    # Never through a link: one planted beside the folder would create a file where it leads.
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        raise OutputError(
            f"cannot create the lock file {path.name} beside the output folder: {error.strerror}",
            location=SourceLocation(folder),
        ) from None
    try:
        try:
            _lock(descriptor)
        except OSError as error:
            if error.errno not in _HELD:
                raise OutputError(
                    f"cannot lock the output folder: {error.strerror}",
                    location=SourceLocation(folder),
                ) from None
            raise OutputError(
                "another audit is writing this report folder right now",
                location=SourceLocation(folder),
                hint=f"wait for it to finish, or choose another --out (lock: {path})",
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


if sys.platform == "win32":
    import msvcrt

    def _lock(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
