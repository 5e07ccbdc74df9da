"""The console the CLI prints to: the terminal's width there, a log-friendly width elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.text import Text

LOG_WIDTH = 120
"""Rich assumes 80 columns when output is not a terminal; CI logs are wider than that."""


def output_console() -> Console:
    return Console(highlight=False, width=None if sys.stdout.isatty() else LOG_WIDTH)


@contextmanager
def step_progress(console: Console, *, shown: bool) -> Iterator[Callable[[str], None]]:
    """A one-line status the caller updates at each step ("Writing report.pdf…"), cleared at
    the end. Unlike an animated spinner it runs no thread, so the PDF renderer can still fork
    (`governance.render.child_process`)."""
    if not shown:
        yield lambda _message: None
        return
    with Live(Text(""), console=console, auto_refresh=False, transient=True) as live:
        yield lambda message: live.update(Text(message, style="dim"), refresh=True)
