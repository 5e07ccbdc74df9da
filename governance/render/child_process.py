"""Rendering that allocates a lot, in a short-lived child process where that is safe.

weasyprint builds millions of Python objects (styles, boxes, text layouts) for a long report
and keeps them until the PDF is written. At Python's default thresholds (a collection every 700
allocations, a full one each time the heap grows by a quarter) the garbage collector scans that
growing heap again and again: about 4 s of the large benchmark report's 20 s. So the collector
is held off while rendering. Freeing those objects afterwards still takes a collection of
1-2 s; a child process, which does not collect at all, hands them all back to the system at
once when it exits. The parent's memory stays as it was, and a crash in the native libraries
(Pango, HarfBuzz) costs one report instead of the whole audit.

Forking is done only on Linux and only when this process runs no other Python thread: a Python
thread can hold a lock (logging's, an import's, a stream's) that would stay locked in the child.
The native threads numerical libraries start (OpenBLAS's pool, jemalloc's background thread,
DuckDB's workers) hold no Python lock and are not used by the child; those libraries prepare
for forks themselves. Anything else — another platform, a notebook's kernel threads, a failed
fork — renders in this process, with the same bytes.

A child can also be forked before its input exists (`prepare_isolated`): it imports what it
needs on the other core while this process works, then renders what it is sent.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import struct
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

_RENDER_THRESHOLDS = (100_000, 50, 100)
_HEADER = struct.Struct("<cQ")
"""What the child sends first: succeeded or failed, and how many bytes follow."""
_LENGTH = struct.Struct("<Q")
"""What a prepared child is sent first: how many bytes of input follow."""
_SUCCEEDED = b"S"
_FAILED = b"F"
_PR_SET_PDEATHSIG = 1


class ChildRenderError(RuntimeError):
    """The renderer failed in the child process; `child_traceback` says where."""

    def __init__(self, summary: str, child_traceback: str = "") -> None:
        super().__init__(summary)
        self.child_traceback = child_traceback


def render_isolated(render: Callable[[], bytes]) -> bytes:
    """`render()`, run in a forked child process where that is safe, else in this one."""
    if can_fork_safely():
        try:
            pid, reader = fork_child(lambda writer: _run_child(render, writer))
        except OSError:  # no process or pipe to spare (EAGAIN, ENOMEM, EMFILE): render here
            pass
        else:
            return _child_result(pid, reader)
    with _few_garbage_collections():
        return render()


class PreparedChild:
    """A child process forked before its input exists: it prepares (imports what it will need)
    on another core while this process works on, then renders the input it is sent. Sending
    and receiving are apart, so this process can work on while the child renders."""

    def __init__(self, pid: int, sender: int, reader: int) -> None:
        self._pid = pid
        self._sender: int | None = sender
        self._reader: int | None = reader

    def render(self, payload: bytes) -> bytes:
        """Send the input and wait for the rendered bytes; once only."""
        self.send(payload)
        return self.receive()

    def send(self, payload: bytes) -> None:
        """Send the input, and return while the child renders it; once only."""
        if self._sender is None:
            raise RuntimeError("a prepared child renders once")
        sender, self._sender = self._sender, None
        try:
            # A child that died before reading closed its end: its exit status says how.
            with suppress(BrokenPipeError), os.fdopen(sender, "wb") as pipe:
                pipe.write(_LENGTH.pack(len(payload)))
                pipe.write(payload)
        except BaseException:
            self._end()
            raise

    def receive(self) -> bytes:
        """Wait for the bytes rendered from the input sent."""
        if self._sender is not None or self._reader is None:
            raise RuntimeError("a prepared child is received from once, after it is sent")
        reader, self._reader = self._reader, None
        return _child_result(self._pid, reader)

    def close(self) -> None:
        """End the child if its rendering was never received."""
        if self._sender is not None:
            os.close(self._sender)
            self._sender = None
        if self._reader is not None:
            self._end()

    def _end(self) -> None:
        with suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        reap(self._pid)
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None


def prepare_isolated(prepare: Callable[[], Callable[[bytes], bytes]]) -> PreparedChild | None:
    """A child that runs `prepare()` now and the renderer it returns on the input it is later
    sent (`PreparedChild.render`); None where forking is not safe (render in this process)."""
    if not can_fork_safely():
        return None
    receiver, sender = os.pipe()

    def child(writer: int) -> None:
        os.close(sender)
        _run_child(lambda: prepare()(_read_input(receiver)), writer)

    try:
        pid, reader = fork_child(child)
    except OSError:
        os.close(receiver)
        os.close(sender)
        return None
    os.close(receiver)
    return PreparedChild(pid, sender, reader)


def _read_input(descriptor: int) -> bytes:
    """The input, by its length: a process forked later by the parent (a chart painter) may
    hold the pipe's write end open, so no end of file comes when the parent has sent it."""
    with os.fdopen(descriptor, "rb") as pipe:
        header = pipe.read(_LENGTH.size)
        if len(header) == _LENGTH.size:
            (length,) = _LENGTH.unpack(header)
            payload = pipe.read(length)
            if len(payload) == length:
                return payload
    raise EOFError("the input ended before its stated length")


def _child_result(pid: int, reader: int) -> bytes:
    try:
        with os.fdopen(reader, "rb") as pipe:
            message = pipe.read()
    except BaseException:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        reap(pid)
        raise
    return _outcome(message, reap(pid))


def can_fork_safely() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def fork_child(child: Callable[[int], None]) -> tuple[int, int]:
    """Fork; the child runs `child(writer)` with the write end of a pipe and must leave with
    `os._exit`. Returns the child's pid and the pipe's read end. Signals are held while forking,
    so the child never runs the parent's handlers: it takes the default action (SIGINT and
    SIGTERM end it), and dies with its parent."""
    reader, writer = os.pipe()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns of forking beside any thread, native ones included; the
            # module docstring says why those are safe here.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(reader)
        os.close(writer)
        raise
    if pid == 0:
        try:
            os.close(reader)
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
                signal.signal(number, signal.SIG_DFL)
            _die_with_parent()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            child(writer)
        finally:
            os._exit(1)  # `child` leaves with os._exit itself; this is for its failures
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(writer)
    return pid, reader


def reap(pid: int) -> int | None:
    """The child's exit status, or None where the system reaped it itself (SIGCHLD ignored)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _die_with_parent() -> None:
    # A child whose parent was killed would otherwise go on rendering for nothing.
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _run_child(render: Callable[[], bytes], writer: int) -> None:
    """Render, send the bytes or the error up the pipe, and leave without tearing down the
    interpreter: no collection, no exit handlers, no second flush of the parent's buffers.
    The exit status is 0 only when the whole message was written."""
    status = 1
    try:
        # No collection at all in the child: what weasyprint builds lives until the PDF is
        # written, so collecting found next to nothing (the large benchmark report peaked at
        # 656 MB either way) and cost 0.5 s; the process's exit frees it all.
        gc.disable()
        try:
            kind, body = _SUCCEEDED, render()
        except BaseException as error:
            failure = {
                "summary": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc(),
            }
            kind, body = _FAILED, json.dumps(failure).encode("utf-8")
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(_HEADER.pack(kind, len(body)))
            pipe.write(body)
        status = 0
    finally:
        os._exit(status)


def _outcome(message: bytes, status: int | None) -> bytes:
    complete = len(message) >= _HEADER.size
    kind, length = _HEADER.unpack_from(message) if complete else (b"", 0)
    body = memoryview(message)[_HEADER.size :]
    if complete and len(body) == length:
        if kind == _SUCCEEDED:
            return bytes(body)
        failure = json.loads(bytes(body))
        raise ChildRenderError(failure["summary"], failure["traceback"])
    raise ChildRenderError(f"the rendering process {_how_it_ended(status)} before it finished")


def _how_it_ended(status: int | None) -> str:
    if status is None:
        return "ended"
    code = os.waitstatus_to_exitcode(status)
    if code == -signal.SIGKILL:
        return "was killed (SIGKILL: out of memory?)"
    return f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"


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
