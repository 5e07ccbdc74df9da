"""`collection_paused` leaves the collector as it found it, whatever the threads do."""

from __future__ import annotations

import gc
import threading

from governance import library_loading
from governance.library_loading import collection_paused


class _InterleavedCollector:
    """The real collector's switch, with a pause between a thread's check and its disable."""

    def __init__(self) -> None:
        self.checked = threading.Event()
        self.go_on = threading.Event()

    def isenabled(self) -> bool:
        enabled = gc.isenabled()
        if threading.current_thread().name == "second":
            self.checked.set()
            self.go_on.wait(5)
        return enabled

    def disable(self) -> None:
        gc.disable()

    def enable(self) -> None:
        gc.enable()


def test_two_threads_pausing_leave_the_collector_enabled(monkeypatch):
    collector = _InterleavedCollector()
    monkeypatch.setattr(library_loading, "gc", collector)
    assert gc.isenabled()
    inside = threading.Event()
    leave = threading.Event()

    def first() -> None:
        with collection_paused():
            inside.set()
            leave.wait(5)

    def second() -> None:
        with collection_paused():
            pass

    one = threading.Thread(target=first, name="first")
    two = threading.Thread(target=second, name="second")
    try:
        one.start()
        inside.wait(5)
        two.start()  # sees the collector off (the first thread paused it) ...
        collector.checked.wait(1)  # (a collector switched under a lock never pauses here)
        leave.set()  # ... the first thread turns it back on ...
        one.join(5)
        collector.go_on.set()  # ... and the second turns it off for good.
        two.join(5)
        assert gc.isenabled()
    finally:
        gc.enable()
