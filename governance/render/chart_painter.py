"""The PDF's charts, drawn by a second process while weasyprint parses and styles the report.

weasyprint works on one core; drawing and encoding a 60-bar chart takes about 25 ms, so a
report with 50 of them spends more than a second on charts before its layout can go on. A
painter process forked at the start draws them all on the other core, in the order the report
shows them, into memory shared with the renderer; by the time weasyprint asks for the first
chart most are ready. Where forking is not safe (see `child_process`) or fails, or for a chart
the painter has not delivered (it stopped, or the shared memory is full), the chart is drawn
when asked for: the bytes are the same either way.
"""

from __future__ import annotations

import mmap
import os
import signal
import struct
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Protocol

from governance.render.charts import chart_print_png
from governance.render.child_process import can_fork_safely, fork_child, reap
from governance.vocabulary.evidence_table import EvidenceChart

_AREA = 128 << 20
"""Bytes of memory shared with the painter, filled one PNG after another: address space only
until written. A 60-bar chart's PNG is about 60 KiB; charts past the end are drawn when asked
for."""
_NOTE = struct.Struct("<IQQ")
"""The painter's note that a chart is ready: its position in the list, offset and length."""
_PAINTER_MINIMUM = 4
"""Fewer charts are drawn when asked for: a fork costs more than it saves on a few."""


class ChartSupply(Protocol):
    def png(self, name: str) -> bytes: ...


@contextmanager
def painted_charts(charts: Mapping[str, EvidenceChart]) -> Iterator[ChartSupply]:
    """PNGs of `charts` (name → chart, in the order the report shows them), drawn ahead by a
    painter process where that is safe and worth it, else when asked for."""
    painter = None
    if len(charts) >= _PAINTER_MINIMUM and can_fork_safely():
        with suppress(OSError):  # no memory, pipe or process to spare: draw them here
            painter = _Painter(charts)
    if painter is None:
        yield ChartsDrawnOnDemand(charts)
        return
    try:
        yield painter
    finally:
        painter.close()


class ChartsDrawnOnDemand:
    def __init__(self, charts: Mapping[str, EvidenceChart]) -> None:
        self._charts = charts

    def png(self, name: str) -> bytes:
        return chart_print_png(self._charts[name])


class _Painter:
    def __init__(self, charts: Mapping[str, EvidenceChart]) -> None:
        self._charts = charts
        self._names = list(charts)
        self._ready: dict[str, tuple[int, int]] = {}
        self._memory = mmap.mmap(-1, _AREA)
        try:
            self._pid, reader = fork_child(self._paint)
        except OSError:
            self._memory.close()
            raise
        self._notes = os.fdopen(reader, "rb")

    def png(self, name: str) -> bytes:
        while name not in self._ready and len(note := self._notes.read(_NOTE.size)) == _NOTE.size:
            index, offset, length = _NOTE.unpack(note)
            self._ready[self._names[index]] = (offset, length)
        if name not in self._ready:  # the painter stopped before this chart
            return chart_print_png(self._charts[name])
        offset, length = self._ready[name]
        return bytes(self._memory[offset : offset + length])

    def close(self) -> None:
        with suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        reap(self._pid)
        self._notes.close()
        self._memory.close()

    def _paint(self, writer: int) -> None:
        """In the painter: each chart into the shared memory, then a note; leave without
        teardown."""
        try:
            offset = 0
            with os.fdopen(writer, "wb", buffering=0) as notes:
                for index, chart in enumerate(self._charts.values()):
                    png = chart_print_png(chart)
                    if offset + len(png) > _AREA:
                        break
                    self._memory[offset : offset + len(png)] = png
                    notes.write(_NOTE.pack(index, offset, len(png)))
                    offset += len(png)
        finally:
            os._exit(0)
