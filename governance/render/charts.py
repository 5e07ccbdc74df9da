"""Evidence charts drawn as PNG: one horizontal bar per label, flagged bars in the failure
colour (and hatched, so they read in greyscale), excluded ones in grey and marked, an optional
dashed reference line.

Labels are never cut: group labels that all name the same features (`sex=Female & race=Asian`)
are shown by their values alone (`Female · Asian`), the features being in the chart's title,
and a label too long for its column wraps onto more lines, its bar's row growing with it.

Drawn directly with Pillow, in the DejaVu Sans font that matplotlib ships (found on disk, not
imported), and encoded as a palette PNG with no software or date chunk, so identical charts
give identical bytes. Pillow instead of matplotlib: a 60-bar chart took 0.12 s CPU through
matplotlib's Agg canvas and takes about 10 ms drawn here (the large benchmark report has 50).
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from governance.render.line_breaks import word_parts
from governance.vocabulary.evidence_table import EvidenceChart

_BAR = "#4a6fa5"
_FLAGGED = "#b03a2e"
_EXCLUDED = "#b5b5b5"
_EXCLUDED_INK = "#6b6b6b"
_INK = "#1b1b1b"
_GRID = "#dddddd"
_LABEL_SHARE = 0.42
"""The most of the image's width the labels' column takes."""
_VALUE_SEPARATOR = " · "
_TITLE_CHARACTERS = 95
_DPI = 120
_MAX_VALUE_LABELS = 30
_WIDTH = round(6.6 * _DPI)
"""6.6 inches: the text width of an A4 page with the report's margins."""
_HATCH_SPACING = 7


def _pixels(points: float) -> int:
    return round(points * _DPI / 72)


def chart_png(chart: EvidenceChart) -> bytes:
    """The chart as a palette PNG, for the HTML report, where it is inlined and its size
    counts; the same chart always gives the same bytes."""
    image = _drawing(chart)
    # A palette PNG: a fraction of the size of full colour, and the same to the eye.
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    return _png(palette, compress_level=6)


def chart_print_png(chart: EvidenceChart) -> bytes:
    """The chart as a full-colour PNG compressed lightly, for the PDF: weasyprint decodes
    every image and compresses the pixels again for the PDF stream, and converts a palette
    PNG to colour with one more encoding first. Handing it colour pixels saves that encoding
    and the quantizing (about 20 ms a chart); the same chart always gives the same bytes."""
    return _png(_drawing(chart), compress_level=1)


def _png(image: Image.Image, *, compress_level: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=compress_level)
    return buffer.getvalue()


def _drawing(chart: EvidenceChart) -> Image.Image:
    count = max(len(chart.bars), 1)
    # Up to 20 bars get a comfortable row each; more share about 6.6 inches, down to the
    # smallest row a 6.5pt label fits in; a label on several lines makes its row taller.
    slot = 26.0 if count <= 20 else max(13.2, _WIDTH / count)
    label_font = _font(_pixels(8 if count <= 20 else 6.5))
    small_font = _font(_pixels(7))
    axis_font = _font(_pixels(8))
    title_font = _font(_pixels(9), bold=True)
    title = textwrap.wrap(chart.title, _TITLE_CHARACTERS, max_lines=2, placeholder=" …")

    label_width = round(_WIDTH * _LABEL_SHARE)
    labels = [_wrapped(text, label_font, label_width) for text in display_labels(chart)]
    line_height = _line_height(label_font)
    slots = [
        slot if len(lines) == 1 else max(slot, len(lines) * line_height + 4) for lines in labels
    ]
    title_height = 8 + 19 * len(title)
    plot_top = title_height + (24 if chart.reference is not None else 8)
    plot_bottom = plot_top + round(sum(slots))
    height = plot_bottom + 48
    longest = max((label_font.getlength(line) for lines in labels for line in lines), default=0.0)
    plot_left = min(round(longest) + 14, label_width + 14)
    plot_right = round(_WIDTH * 0.96)

    values = [bar.value if bar.value is not None else 0.0 for bar in chart.bars]
    top = max([*values, chart.reference or 0.0, 0.0])
    top = 1.0 if 0.0 < top <= 1.0 else (top or 1.0)
    limit = top * 1.14

    def x_of(value: float) -> float:
        return plot_left + (plot_right - plot_left) * max(value, 0.0) / limit

    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    ticks = _ticks(limit)
    for tick in ticks:  # the grid behind the bars
        x = round(x_of(tick))
        draw.line([(x, plot_top), (x, plot_bottom)], fill=_GRID, width=1)

    row_top = float(plot_top)
    for bar, lines, row in zip(chart.bars, labels, slots, strict=True):
        middle = row_top + row / 2
        row_top += row
        half = min(row, slot) * 0.35
        if bar.value is not None and bar.value > 0:
            box = (plot_left, round(middle - half), round(x_of(bar.value)), round(middle + half))
            _bar(image, box, flagged=bar.flagged, excluded=bar.excluded)
        ink = _EXCLUDED_INK if bar.excluded else _INK
        first = middle - line_height * (len(lines) - 1) / 2
        for index, line in enumerate(lines):
            draw.text(
                (plot_left - 6, first + index * line_height),
                line,
                font=label_font,
                anchor="rm",
                fill=ink,
            )
        if count <= _MAX_VALUE_LABELS or bar.value is None:
            text = _number(bar.value) if bar.value is not None else "n/a"
            end = x_of(bar.value or 0.0)
            colour = _FLAGGED if bar.flagged else ink
            draw.text((end + 4, middle), text, font=label_font, anchor="lm", fill=colour)

    # The axes: left and bottom spines, ticks and their values, the value's name.
    draw.line([(plot_left, plot_top), (plot_left, plot_bottom)], fill=_INK, width=1)
    draw.line([(plot_left, plot_bottom), (plot_right, plot_bottom)], fill=_INK, width=1)
    decimals = _decimals(ticks)
    for tick in ticks:
        x = round(x_of(tick))
        draw.line([(x, plot_bottom), (x, plot_bottom + 5)], fill=_INK, width=1)
        draw.text(
            (x, plot_bottom + 7), f"{tick:.{decimals}f}", font=axis_font, anchor="mt", fill=_INK
        )
    centre = (plot_left + plot_right) / 2
    draw.text((centre, plot_bottom + 26), chart.value_label, font=axis_font, anchor="mt", fill=_INK)

    if chart.reference is not None:
        x = round(x_of(chart.reference))
        for y in range(plot_top, plot_bottom, 9):  # dashed: 6 pixels on, 3 off
            draw.line([(x, y), (x, min(y + 5, plot_bottom))], fill=_INK, width=2)
        label = chart.reference_label or f"reference {_number(chart.reference)}"
        draw.text((x, plot_top - 4), label, font=small_font, anchor="md", fill=_INK)

    # The title from the image's left edge, where long labels cannot push it off the side.
    for number, text in enumerate(title):
        draw.text((10, 8 + 19 * number), text, font=title_font, anchor="la", fill=_INK)

    return image


def chart_data_uri(chart: EvidenceChart) -> str:
    """The PNG inlined as a `data:` URI, so an HTML report is one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode("ascii")


def chart_description(chart: EvidenceChart, limit: int = 30) -> str:
    """The chart in words, for the image's alt text (screen readers, text extraction)."""
    values = [
        f"{bar.label}: {_number(bar.value)}{' (flagged)' if bar.flagged else ''}"
        f"{' (excluded)' if bar.excluded else ''}"
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


def _bar(
    image: Image.Image, box: tuple[int, int, int, int], *, flagged: bool, excluded: bool
) -> None:
    """A filled bar; a flagged one in the failure colour with white diagonal hatching, cut from
    a hatched strip drawn once per bar height, so the hatching stops at the bar's edges; an
    excluded one in grey."""
    left, upper, right, lower = box
    width, height = max(right - left, 1), max(lower - upper, 1)
    if flagged:
        image.paste(_hatched_strip(height).crop((0, 0, width, height)), (left, upper))
    else:
        colour = _EXCLUDED if excluded else _BAR
        image.paste(colour, (left, upper, left + width, upper + height))


@cache
def _hatched_strip(height: int) -> Image.Image:
    strip = Image.new("RGB", (_WIDTH, height), _FLAGGED)
    draw = ImageDraw.Draw(strip)
    for start in range(-height, _WIDTH, _HATCH_SPACING):
        draw.line([(start, height), (start + height, 0)], fill="white", width=1)
    return strip


def _ticks(limit: float) -> list[float]:
    """Round tick values from 0 to `limit`, about six of them (1, 2, 2.5 or 5 x 10^n apart)."""
    rough = limit / 6
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough - 1e-12)
    count = math.floor(limit / step + 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _decimals(ticks: list[float]) -> int:
    """As few decimals as tell the ticks apart, and at least one (0.0, 0.2 ... as matplotlib)."""
    for decimals in range(1, 6):
        if all(abs(round(t, decimals) - t) < 1e-9 for t in ticks):
            return decimals
    return 6


@cache
def _font(pixels: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    # The DejaVu Sans that matplotlib ships, so charts need no system font; found through the
    # package's location, without importing matplotlib.
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which ships the charts' font) is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(package / "mpl-data" / "fonts" / "ttf" / name), pixels)


def display_labels(chart: EvidenceChart) -> list[str]:
    """Each bar's label as drawn: when every label names the same features in the same order
    (`sex=Female & race_ethnicity=Asian`), their values alone (`Female · Asian`), since the
    title names the features; an excluded bar says so."""
    parsed = [_feature_values(bar.label) for bar in chart.bars]
    features = {tuple(name for name, _ in pairs) for pairs in parsed if pairs is not None}
    shared = len(features) == 1 and all(pairs is not None for pairs in parsed)
    labels = [
        _VALUE_SEPARATOR.join(value for _, value in pairs)
        if shared and pairs is not None
        else bar.label
        for bar, pairs in zip(chart.bars, parsed, strict=True)
    ]
    return [
        f"{label} (excluded)" if bar.excluded else label
        for bar, label in zip(chart.bars, labels, strict=True)
    ]


def _feature_values(label: str) -> list[tuple[str, str]] | None:
    parts = [part.partition("=") for part in label.split(" & ")]
    if not all(equals and name and " " not in name for name, equals, _ in parts):
        return None
    return [(name, value) for name, _, value in parts]


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels, broken between words, or inside a word
    too long for a line where an identifier may break (after `.`, `_`, `=`, `/`), or, for a
    word with no such place, between its letters: never cut short."""
    if font.getlength(text) <= width:  # most labels: one measurement
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for piece in _pieces(word, font, width):
            if current and font.getlength(current + piece) <= width:
                current += piece
            else:
                if current:
                    lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines or [""]


def _pieces(word: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    pieces: list[str] = []
    for part in word_parts(word):
        while font.getlength(part) > width and len(part) > 1:
            cut = max(
                (n for n in range(1, len(part)) if font.getlength(part[:n]) <= width), default=1
            )
            pieces.append(part[:cut])
            part = part[cut:]
        pieces.append(part)
    return pieces


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent + 1


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
