"""Pinning the date inside the fonts weasyprint embeds.

When weasyprint subsets a font with fontTools, the subset's `head.modified` field is stamped
with the current time (or `SOURCE_DATE_EPOCH`), which would make two renders of the same audit
differ. These functions rewrite that field to the audit date and fix the checksums, in a
weasyprint *finisher*, before the PDF (and its content-derived `/ID`) is written.
"""

from __future__ import annotations

import datetime as dt
import struct
from typing import Any

import pydyf

_FONT_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
_MAGIC = 0xB1B0AFBA
_MODIFIED = 28
"""Offset of `modified` (a 64-bit count of seconds since 1904) in the head table."""
_ADJUSTMENT = 8
"""Offset of `checkSumAdjustment` in the head table."""


def pin_font_dates(pdf: pydyf.PDF, when: dt.datetime) -> None:
    """Set every embedded TrueType font's modification date to `when`."""
    seconds = int((when - _FONT_EPOCH).total_seconds())
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and "Length1" in item.extra and len(item.stream) == 1:
            font = item.stream[0]
            if isinstance(font, bytes):
                item.stream[0] = font_with_date(font, seconds)


def font_with_date(font: bytes, seconds_since_1904: int) -> bytes:
    """The sfnt font with `head.modified` set and its checksums recomputed; unchanged when it
    has no head table."""
    (tables,) = struct.unpack_from(">H", font, 4)
    for index in range(tables):
        record = 12 + 16 * index
        tag, _, offset, length = struct.unpack_from(">4sIII", font, record)
        if tag != b"head" or offset + 36 > len(font):
            continue
        data = bytearray(font)
        struct.pack_into(">q", data, offset + _MODIFIED, seconds_since_1904)
        struct.pack_into(">I", data, offset + _ADJUSTMENT, 0)
        struct.pack_into(">I", data, record + 4, _checksum(data[offset : offset + length]))
        adjustment = (_MAGIC - _checksum(data)) % 2**32
        struct.pack_into(">I", data, offset + _ADJUSTMENT, adjustment)
        return bytes(data)
    return font


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    words: Any = struct.unpack(f">{len(padded) // 4}I", padded)
    return int(sum(words)) % 2**32
