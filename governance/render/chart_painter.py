"""The PDF's charts, drawn by a second process while weasyprint parses and styles the report.

weasyprint works on one core; drawing and encoding a 60-bar chart takes about 25 ms, so a
report with 50 of them spends more than a second on charts before its layout can go on. A
painter process forked at the start draws them all on the other core, in the order the report
shows them, into memory shared with the renderer; by the time weasyprint asks for the first
chart most are ready. Where forking is not safe (see `child_process`), or for a chart the
painter has not delivered (it stopped, or the PNG is larger than its slot), the chart is drawn
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

from governance.engine.evidence_table import EvidenceChart
from governance.render.charts import chart_print_png
from governance.render.child_process import can_fork_safely

_SLOT = 8 << 20
"""Bytes of shared memory per chart: address space only, as untouched pages cost nothing. A
60-bar chart's PNG is about 60 KiB."""
_RECORD = struct.Struct("<II")
"""The painter's note that a chart is ready: its position in the list, and its length."""
_PAINTER_MINIMUM = 4
"""Fewer charts are drawn when asked for: a fork costs more than it saves on a few."""


class ChartSupply(Protocol):
    def png(self, name: str) -> bytes: ...


@contextmanager
def painted_charts(charts: Mapping[str, EvidenceChart]) -> Iterator[ChartSupply]:
    """PNGs of `charts` (name → chart, in the order the report shows them), drawn ahead by a
    painter process where that is safe and worth it, else when asked for."""
    if len(charts) < _PAINTER_MINIMUM or not can_fork_safely():
        yield ChartsDrawnOnDemand(charts)
        return
    painter = _Painter(charts)
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
        self._ready: dict[str, int] = {}
        self._memory = mmap.mmap(-1, _SLOT * len(self._names))
        reader, writer = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(reader)
            self._paint(writer)
        os.close(writer)
        self._notes = os.fdopen(reader, "rb")

    def png(self, name: str) -> bytes:
        while name not in self._ready and (record := self._notes.read(_RECORD.size)):
            if len(record) < _RECORD.size:
                break
            index, length = _RECORD.unpack(record)
            self._ready[self._names[index]] = length
        if name not in self._ready:  # the painter stopped before this chart
            return chart_print_png(self._charts[name])
        start = self._names.index(name) * _SLOT
        return bytes(self._memory[start : start + self._ready[name]])

    def close(self) -> None:
        with suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        self._notes.close()
        self._memory.close()

    def _paint(self, writer: int) -> None:
        """In the painter: each chart into its slot, then a note; leave without teardown."""
        try:
            with os.fdopen(writer, "wb", buffering=0) as notes:
                for index, chart in enumerate(self._charts.values()):
                    png = chart_print_png(chart)
                    if len(png) > _SLOT:
                        break
                    self._memory[index * _SLOT : index * _SLOT + len(png)] = png
                    notes.write(_RECORD.pack(index, len(png)))
        finally:
            os._exit(0)
