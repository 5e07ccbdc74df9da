"""Loading a large library without the collector walking it again and again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for the block: importing a large library
    (scikit-learn with scipy, presidio with spaCy, pyHanko) makes hundreds of thousands of
    objects that live as long as the process, and each time the heap grows by a quarter the
    collector walks all of it (0.3-0.4 s of the example audit's CPU, for next to no garbage).
    Collections resume as before after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
