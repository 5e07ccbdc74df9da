"""Pinning an embedded font's modification date (fontTools stamps it when subsetting)."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

from governance.render.font_dates import font_with_date

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _whole_font_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) % 2**32


def test_the_date_is_set_and_every_checksum_still_holds() -> None:
    seconds = int(
        (
            dt.datetime(2026, 11, 26, tzinfo=dt.UTC) - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
        ).total_seconds()
    )
    pinned = font_with_date(FONT.read_bytes(), seconds)
    font = TTFont(io.BytesIO(pinned), checkChecksums=2)  # raises on a wrong table checksum
    assert font["head"].modified == seconds
    assert _whole_font_checksum(pinned) == 0xB1B0AFBA  # what checkSumAdjustment guarantees
    assert font_with_date(pinned, seconds) == pinned


def test_bytes_without_a_head_table_are_left_alone() -> None:
    not_a_font = struct.pack(">IHHHH", 0x00010000, 0, 0, 0, 0)
    assert font_with_date(not_a_font, 1) == not_a_font
