"""The report's font subsetter: fontTools' bytes, without decompiling the tables it drops."""

from __future__ import annotations

import io
from importlib.util import find_spec
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from weasyprint.pdf import fonts as weasyprint_fonts

from governance.render.font_subsetting import tune_font_subsetting


def _dejavu_sans() -> bytes:
    spec = find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return (folder / "DejaVuSans.ttf").read_bytes()


class _ReadRecordingFont(TTFont):  # type: ignore[misc]
    """A font that records which tables were decompiled."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def _readTable(self, tag: str) -> object:  # noqa: N802 (fontTools' name)
        self.read.add(tag)
        return super()._readTable(tag)


def _subset(
    subsetter_class: type[subset.Subsetter], font_bytes: bytes
) -> tuple[bytes, _ReadRecordingFont]:
    # The options weasyprint's `_fonttools_subset` passes, on the glyphs of a short text.
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        hinting=False,
        desubroutinize=True,
        notdef_outline=False,
    )
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subsetter_class(options)
    subsetter.populate(gids=set(range(3, 90)))
    font = _ReadRecordingFont(io.BytesIO(font_bytes))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), font


def test_the_subset_is_fonttools_own_without_reading_the_dropped_tables() -> None:
    tune_font_subsetting()
    tuned = weasyprint_fonts.subset.Subsetter
    assert tuned is not subset.Subsetter  # weasyprint now subsets through ours
    font_bytes = _dejavu_sans()
    original = TTFont(io.BytesIO(font_bytes))
    assert {"GSUB", "GPOS", "kern"} <= set(original.keys())

    expected, by_fonttools = _subset(subset.Subsetter, font_bytes)
    actual, by_ours = _subset(tuned, font_bytes)

    assert actual == expected
    assert not {"GSUB", "GPOS", "kern"} & set(by_ours.keys())
    assert {"GSUB", "GPOS"} <= by_fonttools.read  # what this saves
    assert not {"GSUB", "GPOS", "kern"} & by_ours.read


def test_installing_twice_keeps_one_subsetter() -> None:
    tune_font_subsetting()
    first = weasyprint_fonts.subset
    tune_font_subsetting()
    assert weasyprint_fonts.subset is first
    assert first.Options is subset.Options
