"""Opening an input file so that what is read is the regular file that was checked.

The file is opened first and its type checked on the open descriptor (`fstat`), never by a
look at the path before opening: a path swapped for a FIFO, a device or a directory between a
check and the read would otherwise hang the audit or read what it should not. Opening does not
block on a FIFO (`O_NONBLOCK`), so one is refused instead of waited on.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The path names a directory, device, FIFO or socket; `kind` says which."""

    def __init__(self, kind: str):
        super().__init__(f"{kind}, not a regular file")
        self.kind = kind


def open_regular_file(path: Path, *, follow_symlinks: bool = True) -> BinaryIO:
    """`path` opened for binary reading; raises `NotRegularFile` (or the `OSError` of the
    open) when it is not a regular file. Without `follow_symlinks`, a symbolic link is refused
    by the open itself (`OSError` with errno `ELOOP`)."""
    flags = _FLAGS if follow_symlinks else _FLAGS | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(file_kind(mode))
        if _FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def file_kind(mode: int) -> str:
    """What a non-regular file is, for error messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
