"""Rendering that allocates a lot, in a short-lived child process where that is safe.

weasyprint builds millions of Python objects (styles, boxes, text layouts) for a long report
and keeps them until the PDF is written. At Python's default thresholds (a collection every 700
allocations, a full one each time the heap grows by a quarter) the garbage collector scans that
growing heap again and again: about 4 s of the large benchmark report's 20 s. So the collector
is held off while rendering. Freeing those objects afterwards still takes a collection of
1-2 s; a child process, which does not collect at all, hands them all back to the system at
once when it exits. The
parent's memory stays as it was, and a crash in the native libraries (Pango, HarfBuzz) costs
one report instead of the whole audit.

Forking is safe only in a process with a single thread (a thread holding a lock at the fork
would leave it locked in the child), so anything else — another platform, a notebook's kernel
threads — renders in this process, with the same bytes.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_RENDER_THRESHOLDS = (100_000, 50, 100)
_SUCCEEDED = b"S"
_FAILED = b"F"


class ChildRenderError(RuntimeError):
    """The renderer failed in the child process; `child_traceback` says where."""

    def __init__(self, summary: str, child_traceback: str = "") -> None:
        super().__init__(summary)
        self.child_traceback = child_traceback


def render_isolated(render: Callable[[], bytes]) -> bytes:
    """`render()`, run in a forked child process when this one has a single thread."""
    if not can_fork_safely():
        with _few_garbage_collections():
            return render()
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): render here instead
        os.close(reader)
        os.close(writer)
        with _few_garbage_collections():
            return render()
    if pid == 0:
        _run_child(render, reader, writer)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            message = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    return _outcome(message, status)


def can_fork_safely() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _run_child(render: Callable[[], bytes], reader: int, writer: int) -> None:
    """Render, send the bytes or the error up the pipe, and leave without tearing down the
    interpreter: no collection, no exit handlers, no second flush of the parent's buffers."""
    try:
        os.close(reader)
        # No collection at all in the child: what weasyprint builds lives until the PDF is
        # written, so collecting found next to nothing (the large benchmark report peaked at
        # 656 MB either way) and cost 0.5 s; the process's exit frees it all.
        gc.disable()
        try:
            message = _SUCCEEDED + render()
        except BaseException as error:
            message = _FAILED + json.dumps(
                {"summary": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}
            ).encode("utf-8")
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(message)
    finally:
        os._exit(0)


def _outcome(message: bytes, status: int) -> bytes:
    if message.startswith(_SUCCEEDED) and os.waitstatus_to_exitcode(status) == 0:
        return message[len(_SUCCEEDED) :]
    if message.startswith(_FAILED):
        failure = json.loads(message[len(_FAILED) :])
        raise ChildRenderError(failure["summary"], failure["traceback"])
    code = os.waitstatus_to_exitcode(status)
    how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
    raise ChildRenderError(f"the rendering process {how} before it finished")


@contextmanager
def _few_garbage_collections() -> Iterator[None]:
    """Collect cyclic garbage once, after the render, instead of hundreds of times during it;
    the full collection at the end frees the document, so memory is returned as before."""
    previous = gc.get_threshold()
    gc.set_threshold(*_RENDER_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.collect()
