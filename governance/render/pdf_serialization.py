"""pydyf, which writes weasyprint's PDF objects, made to write the report in linear time and
at zlib's default compression.

Two costs of the large benchmark report's writing (132 pages, tagged), measured in process:

- weasyprint's `pdf_tags` gives every structure element a `/Pg` entry read from
  `pydyf.PDF.page_references`, a property that builds a tuple of every page's reference on
  each read: 40,000 reads of a 132-page tuple, ~1 s. The tuple is now kept, and rebuilt when
  a page is added (pages are only appended, by `add_page`): every read returns what the
  property would have built, so the bytes are the same.
- pydyf compresses every stream at zlib level 9: 5.5 s of writing, against 4.6 s at level 6,
  zlib's default, for a file 1.3% larger (3,418 KiB instead of 3,374). Still deterministic.
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

STREAM_COMPRESSION_LEVEL = 6
_KEPT = "_governance_page_references"
_original = getattr(pydyf.PDF, "page_references", None)
_BUILD_PAGE_REFERENCES = _original.fget if isinstance(_original, property) else None


def tune_pydyf() -> None:
    """Apply both changes to pydyf in this process (idempotent). Each applies only where
    pydyf is built as described above; another pydyf is left as it is (slower, same report)."""
    if _BUILD_PAGE_REFERENCES is not None:
        pydyf.PDF.page_references = property(_page_references)
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DefaultLevelZlib()


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept: tuple[int, int, tuple[bytes, ...]] | None = getattr(pdf, _KEPT, None)
    if kept is None or kept[0] != id(kids) or kept[1] != len(kids):
        assert _BUILD_PAGE_REFERENCES is not None  # installed only when it exists
        kept = (id(kids), len(kids), _BUILD_PAGE_REFERENCES(pdf))
        setattr(pdf, _KEPT, kept)
    return kept[2]


class _DefaultLevelZlib:
    """The `zlib` pydyf sees: its streams' `compressobj(level=9)` at the default level."""

    def compressobj(self, level: int = STREAM_COMPRESSION_LEVEL, **options: Any) -> Any:
        return zlib.compressobj(level=min(level, STREAM_COMPRESSION_LEVEL), **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)
