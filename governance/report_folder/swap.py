"""Putting a staged folder in the place of the published one in one step.

On Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically: at every instant the
published path holds either the old set or the new one. Elsewhere, or on a file system that
cannot exchange, two renames do it (old folder aside, staged folder in): between them the path
is briefly absent, never a mix. Either way the old folder ends up at a staging path of its own,
to be retired."""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

from governance.report_folder.leftovers import new_staging_path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})

_Renameat2 = Callable[[int, bytes, int, bytes, int], int]


def swap_in(staged: Path, folder: Path) -> Path | None:
    """Publish `staged` at `folder`. Returns where the previous folder now is, or None when
    there was none. Raises `OSError` with nothing changed, or with the previous folder back."""
    if not os.path.lexists(folder):
        os.rename(staged, folder)
        return None
    if exchange(staged, folder):
        return staged
    retired = new_staging_path(folder)
    os.rename(folder, retired)
    try:
        os.rename(staged, folder)
    except OSError:
        os.rename(retired, folder)
        raise
    return retired


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically. False when this system or file system cannot (nothing was
    changed); `OSError` for any other failure."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _UNSUPPORTED:
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


@functools.cache
def _renameat2() -> _Renameat2 | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes.append(ctypes.c_uint)
    function.restype = ctypes.c_int
    renameat2: _Renameat2 = function
    return renameat2
