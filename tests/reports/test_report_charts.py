"""Evidence charts: the same chart gives the same PNG; undefined values and thresholds are shown."""

from __future__ import annotations

import io

from PIL import Image

from governance.render.charts import chart_description, chart_png
from governance.render.control_names import clause_name, regulation_name
from governance.vocabulary.evidence_table import ChartBar, EvidenceChart

CHART = EvidenceChart(
    title="Selection rate impact ratio by sex × race",
    value_label="impact ratio",
    bars=(
        ChartBar(label="Female · Black", value=0.62, flagged=True),
        ChartBar(label="Male · White", value=1.0),
        ChartBar(label="Nonbinary · Asian (fewer than 30)", value=None),
    ),
    reference=0.8,
    reference_label="four-fifths rule (0.8)",
)


def test_the_same_chart_gives_the_same_png_without_software_or_date_chunks() -> None:
    png = chart_png(CHART)
    assert png == chart_png(CHART)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in png and b"tIME" not in png
    width, height = Image.open(io.BytesIO(png)).size
    assert width > height > 100


def test_a_chart_with_many_bars_stays_within_a_page() -> None:
    many = CHART.model_copy(
        update={"bars": tuple(ChartBar(label=f"group {i}", value=i / 60) for i in range(60))}
    )
    _, height = Image.open(io.BytesIO(chart_png(many))).size
    assert height <= 9 * 150  # 9 inches at 150 dpi


def test_the_description_reads_the_chart_aloud() -> None:
    text = chart_description(CHART)
    assert "Female · Black: 0.62 (flagged)" in text
    assert "Nonbinary · Asian (fewer than 30): n/a" in text
    assert text.endswith("Reference line: four-fifths rule (0.8).")


def test_controls_are_named_as_the_regulation_writes_them() -> None:
    assert regulation_name("eu-ai-act:art10(2)(f)") == "EU AI Act"
    assert clause_name("eu-ai-act:art10(2)(f)") == "Art. 10(2)(f)"
    assert clause_name("eu-ai-act:annex-iv(2)(g)") == "Annex IV (2)(g)"
    assert (regulation_name("nyc-ll144:5-301(b)"), clause_name("nyc-ll144:5-301(b)")) == (
        "NYC Local Law 144",
        "§5-301(b)",
    )
    assert regulation_name("iso-42001:A.6.2.4") == "ISO/IEC 42001:2023 Annex A"
    assert regulation_name("acme-ai:6.1") == "acme-ai"  # a user's catalog: its prefix
    assert clause_name("acme-ai:6.1") == "6.1"


def test_flagged_bars_are_drawn_in_the_failure_colour_and_others_in_the_bar_colour() -> None:
    image = Image.open(io.BytesIO(chart_png(CHART))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=256) or []}
    assert (0xB0, 0x3A, 0x2E) in colours  # the flagged bar (hatched with white)
    assert (0x4A, 0x6F, 0xA5) in colours  # the bar that passes
    unflagged = CHART.model_copy(update={"bars": CHART.bars[1:]})
    plain = Image.open(io.BytesIO(chart_png(unflagged))).convert("RGB")
    assert (0xB0, 0x3A, 0x2E) not in {c for _, c in plain.getcolors(maxcolors=256) or []}
