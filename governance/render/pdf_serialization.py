"""pydyf, which writes weasyprint's PDF objects, made to write the report in linear time, at
zlib's default compression, and each object once.

Three costs of the large benchmark report's writing (132 pages, tagged), measured in process:

- weasyprint's `pdf_tags` gives every structure element a `/Pg` entry read from
  `pydyf.PDF.page_references`, a property that builds a tuple of every page's reference on
  each read: 40,000 reads of a 132-page tuple, ~1 s. The tuple is now kept, and rebuilt when
  a page is added (pages are only appended, by `add_page`): every read returns what the
  property would have built, so the bytes are the same.
- pydyf compresses every stream at zlib level 9: 5.5 s of writing, against 4.6 s at level 6,
  zlib's default, for a file 1.3% larger (3,418 KiB instead of 3,374). Still deterministic.
- PDF/A asks for a file identifier, which `PDF.write` computes as the digest of every object's
  serialisation after writing them: each dictionary is serialised and each stream compressed
  a second time, for the same bytes. During a write, an object's serialisation is now kept
  and reused (nothing changes an object while the file is written; every object serialised is
  held until the write ends, so no other object can take its `id`).
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

STREAM_COMPRESSION_LEVEL = 6
_KEPT = "_governance_page_references"
_original = getattr(pydyf.PDF, "page_references", None)
_BUILD_PAGE_REFERENCES = _original.fget if isinstance(_original, property) else None
_WRITE = pydyf.PDF.write
_SERIALISED = (pydyf.Dictionary, pydyf.Stream)
"""The kinds of the objects a PDF holds: each top-level object is one of these."""
_BUILD_DATA = {kind: kind.__dict__["data"].fget for kind in _SERIALISED}
_kept_data: dict[int, tuple[object, bytes]] | None = None
"""While a PDF is written: id → (object, its serialisation)."""


def tune_pydyf() -> None:
    """Apply both changes to pydyf in this process (idempotent). Each applies only where
    pydyf is built as described above; another pydyf is left as it is (slower, same report)."""
    if _BUILD_PAGE_REFERENCES is not None:
        pydyf.PDF.page_references = property(_page_references)
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DefaultLevelZlib()
    if pydyf.PDF.write is _WRITE:
        for kind, build in _BUILD_DATA.items():
            kind.data = property(_kept(build))
        pydyf.PDF.write = _write_serialising_once


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


def _write_serialising_once(pdf: pydyf.PDF, *arguments: Any, **options: Any) -> Any:
    global _kept_data
    outer, _kept_data = _kept_data, {}
    try:
        return _WRITE(pdf, *arguments, **options)
    finally:
        _kept_data = outer


def _kept(build: Any) -> Any:
    def data(item: pydyf.Object) -> bytes:
        kept = _kept_data
        if kept is None:
            return bytes(build(item))
        found = kept.get(id(item))
        if found is not None and found[0] is item:
            return found[1]
        value = bytes(build(item))
        kept[id(item)] = (item, value)
        return value

    return data
