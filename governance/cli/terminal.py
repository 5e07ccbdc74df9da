"""The console the CLI prints to: the terminal's width there, a log-friendly width elsewhere."""

from __future__ import annotations

import sys

from rich.console import Console

LOG_WIDTH = 120
"""Rich assumes 80 columns when output is not a terminal; CI logs are wider than that."""


def output_console() -> Console:
    return Console(highlight=False, width=None if sys.stdout.isatty() else LOG_WIDTH)
