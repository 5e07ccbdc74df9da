"""The PDF's charts drawn ahead by a painter process give the same PNGs as drawing them when
asked for, also when the painter stops early."""

from __future__ import annotations

import os

import pytest

from governance.render import chart_painter
from governance.render.chart_painter import ChartsDrawnOnDemand, painted_charts
from governance.render.charts import chart_print_png
from governance.vocabulary.evidence_table import ChartBar, EvidenceChart

CHARTS = {
    f"chart-{n}": EvidenceChart(
        title=f"selection rate by group, variant {n}",
        value_label="selection rate",
        bars=tuple(
            ChartBar(label=f"group {g}", value=(g * 7 + n) % 10 / 10, flagged=g % 3 == 0)
            for g in range(12)
        ),
        reference=0.4,
        reference_label="0.8 x highest rate",
    )
    for n in range(6)
}


def test_the_painter_draws_every_chart_as_drawing_it_here_would() -> None:
    with painted_charts(CHARTS) as supply:
        assert not isinstance(supply, ChartsDrawnOnDemand)
        painted = {name: supply.png(name) for name in reversed(CHARTS)}
    assert painted == {name: chart_print_png(chart) for name, chart in CHARTS.items()}


def test_charts_the_painter_did_not_deliver_are_drawn_when_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = os.getpid()

    def painter_stops_at_the_third(chart: EvidenceChart) -> bytes:
        if os.getpid() != renderer and chart.title.endswith("variant 2"):
            raise MemoryError("the painter ran out of memory")
        return chart_print_png(chart)

    monkeypatch.setattr(chart_painter, "chart_print_png", painter_stops_at_the_third)
    with painted_charts(CHARTS) as supply:
        painted = {name: supply.png(name) for name in CHARTS}
        delivered = set(supply._ready)  # type: ignore[attr-defined]
    assert delivered == {"chart-0", "chart-1"}  # the rest were drawn here
    assert painted == {name: chart_print_png(chart) for name, chart in CHARTS.items()}


def test_a_few_charts_or_no_safe_fork_draw_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    with painted_charts(dict(list(CHARTS.items())[:3])) as supply:
        assert isinstance(supply, ChartsDrawnOnDemand)
    monkeypatch.setattr(chart_painter, "can_fork_safely", lambda: False)
    with painted_charts(CHARTS) as supply:
        assert isinstance(supply, ChartsDrawnOnDemand)
