"""Loading a large library without the collector walking it again and again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for the block: importing a large library
    (scikit-learn with scipy, presidio with spaCy, pyHanko) makes hundreds of thousands of
    objects that live as long as the process, and each time the heap grows by a quarter the
    collector walks all of it (0.3-0.4 s of the example audit's CPU, for next to no garbage).
    Collections resume as before once the last block open in any thread ends: the switch is
    the process's, so threads pausing at once share one pause (each checking and switching
    on its own could see another's pause as the collector's state and keep it off)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
