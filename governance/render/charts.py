"""Evidence charts drawn as PNG: one horizontal bar per label, flagged bars in the failure
colour (and hatched, so they read in greyscale), an optional dashed reference line.

Drawn with matplotlib's Agg canvas and its bundled DejaVu Sans font, without pyplot's global
state, and encoded by Pillow as a palette PNG with no software or date chunk, so identical
charts give identical bytes.
"""

from __future__ import annotations

import base64
import io
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType
from PIL import Image, ImageDraw, ImageFont

from governance.engine.evidence_table import EvidenceChart

_BAR = "#4a6fa5"
_FLAGGED = "#b03a2e"
_REFERENCE = "#1b1b1b"
_MAX_LABEL = 38
_TITLE_CHARACTERS = 95
_DPI = 120
_MAX_VALUE_LABELS = 30
_WIDTH_INCHES = 6.6
_STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "svg.hashsalt": "governance",
}


def chart_png(chart: EvidenceChart) -> bytes:
    """The chart as PNG bytes; the same chart always gives the same bytes."""
    count = max(len(chart.bars), 1)
    per_bar = 0.22 if count <= 20 else max(0.11, 6.6 / count)
    title = textwrap.wrap(chart.title, _TITLE_CHARACTERS, max_lines=2, placeholder=" …")
    head = 0.2 + 0.17 * len(title) + (0.2 if chart.reference is not None else 0.0)
    height = head + 0.45 + per_bar * count
    label_size = 8 if count <= 20 else 6.5
    with rc_context(_STYLE):
        figure = Figure(figsize=(_WIDTH_INCHES, height), dpi=_DPI)
        canvas = FigureCanvasAgg(figure)
        # Fixed margins instead of tight_layout, which measures every label a second time.
        longest = max((len(_short(bar.label)) for bar in chart.bars), default=4)
        left = min(0.04 + longest * label_size * 0.55 / 72 / _WIDTH_INCHES, 0.45)
        figure.subplots_adjust(left=left, right=0.96, top=1 - head / height, bottom=0.42 / height)
        # The title from the figure's left edge, where long labels cannot push it off the side.
        figure.text(
            0.012,
            1 - 0.08 / height,
            "\n".join(title),
            ha="left",
            va="top",
            fontsize=9,
            fontweight="bold",
        )
        axes = figure.add_subplot()
        _draw(axes, chart)
        raw = io.BytesIO()
        figure.savefig(raw, format="rgba", dpi=_DPI)
        image = Image.frombytes("RGBA", canvas.get_width_height(), raw.getvalue())
        _label_bars(image, axes, chart, label_size, values_shown=count <= _MAX_VALUE_LABELS)
    # A palette PNG: a fraction of the size of full colour, and the same to the eye.
    palette = image.convert("RGB").quantize(
        colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def chart_data_uri(chart: EvidenceChart) -> str:
    """The PNG inlined as a `data:` URI, so an HTML report is one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode("ascii")


def chart_description(chart: EvidenceChart, limit: int = 30) -> str:
    """The chart in words, for the image's alt text (screen readers, text extraction)."""
    values = [
        f"{bar.label}: {_number(bar.value)}{' (flagged)' if bar.flagged else ''}"
        for bar in chart.bars[:limit]
    ]
    if len(chart.bars) > limit:
        values.append(f"and {len(chart.bars) - limit} more in the table")
    reference = (
        f" Reference line: {chart.reference_label or _number(chart.reference)}."
        if chart.reference is not None
        else ""
    )
    return f"Bar chart of {chart.value_label}: {'; '.join(values)}.{reference}"


def _draw(axes: Axes, chart: EvidenceChart) -> None:
    bars = chart.bars
    positions = list(range(len(bars)))
    values = [bar.value if bar.value is not None else 0.0 for bar in bars]
    drawn = axes.barh(
        positions,
        values,
        height=0.7,
        color=[_FLAGGED if bar.flagged else _BAR for bar in bars],
    )
    for patch, bar in zip(drawn.patches, bars, strict=True):
        if bar.flagged:
            patch.set_hatch("///")
            patch.set_edgecolor("white")
    axes.set_yticks([])  # the labels are drawn afterwards, by `_label_bars`
    axes.set_ylim(len(bars) - 0.5, -0.5)  # top to bottom, without empty margins
    top = max([*values, chart.reference or 0.0, 0.0])
    top = 1.0 if 0.0 < top <= 1.0 else (top or 1.0)
    axes.set_xlim(0, top * 1.14)
    if chart.reference is not None:
        axes.axvline(chart.reference, color=_REFERENCE, linestyle="--", linewidth=1)
        axes.annotate(
            chart.reference_label or f"reference {_number(chart.reference)}",
            xy=(chart.reference, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
        )
    axes.set_xlabel(chart.value_label)
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)


def _label_bars(
    image: Image.Image, axes: Axes, chart: EvidenceChart, size: float, *, values_shown: bool
) -> None:
    """Write each bar's label left of the axis and its value at its end, with Pillow: drawing
    sixty labels as matplotlib texts took two thirds of a chart's time; this takes milliseconds."""
    draw = ImageDraw.Draw(image)
    font = _font(round(size * _DPI / 72))
    left = axes.bbox.x0 - 5
    for position, bar in enumerate(chart.bars):
        end_x, y = axes.transData.transform((bar.value or 0.0, position))
        y = image.height - y  # matplotlib counts pixels from the bottom, Pillow from the top
        draw.text((left, y), _short(bar.label), font=font, anchor="rm", fill=_REFERENCE)
        if values_shown or bar.value is None:
            text = _number(bar.value) if bar.value is not None else "n/a"
            colour = _FLAGGED if bar.flagged else _REFERENCE
            draw.text((end_x + 4, y), text, font=font, anchor="lm", fill=colour)


@cache
def _font(pixels: int) -> ImageFont.FreeTypeFont:
    # The DejaVu Sans that matplotlib ships, so charts need no system font.
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), pixels)


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
