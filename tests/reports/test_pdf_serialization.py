"""pydyf as the PDF renderer tunes it: page references built once per page added, streams
compressed at zlib's default level."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import pydyf
import pytest

from governance.render import pdf_serialization
from governance.render.pdf_serialization import tune_pydyf


def _content(lines: int) -> bytes:
    return b"".join(
        b"BT /F1 8 Tf %d %d Td (row %d value %f) Tj ET\n" % (i % 97, i * 7 % 501, i, i / 7)
        for i in range(lines)
    )


def test_page_references_are_kept_between_reads_and_follow_added_pages() -> None:
    tune_pydyf()
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    # weasyprint's tags read this once per structure element: it must not be rebuilt each time.
    assert pdf.page_references is first
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    both = pdf.page_references
    assert len(both) == 2
    assert both == tuple(f"{number} 0 R".encode("ascii") for number in pdf.pages["Kids"][::3])


def test_streams_are_compressed_at_zlibs_default_level() -> None:
    tune_pydyf()
    content = _content(5_000)
    data = pydyf.Stream([content], compress=True).data
    compressed = zlib.compress(content, 6)
    assert compressed != zlib.compress(content, 9)  # the levels differ on this content
    assert f"/Length {len(compressed)}".encode() in data
    assert compressed in data


def _pdf_with_streams(pages: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for page in range(pages):
        content = pydyf.Stream([_content(200 + page)], compress=True)
        pdf.add_object(content)
        pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Contents": content.reference}))
    return pdf


def test_a_file_with_an_identifier_compresses_each_stream_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PDF/A asks for an identifier: pydyf digests every object, serialised once more.
    tune_pydyf()
    compressions: list[int] = []
    compressobj = pydyf.zlib.compressobj
    monkeypatch.setattr(
        pydyf.zlib, "compressobj", lambda **kw: compressions.append(1) or compressobj(**kw)
    )

    def written(write: Callable[..., None]) -> tuple[bytes, int]:
        compressions.clear()
        output = io.BytesIO()
        write(_pdf_with_streams(3), output, b"1.7", True, True)
        return output.getvalue(), len(compressions)

    tuned, tuned_compressions = written(pydyf.PDF.write)
    # pydyf's own write: every object serialised anew each time it is asked for.
    plain, plain_compressions = written(pdf_serialization._WRITE)
    assert tuned == plain
    # Three pages' contents, the object stream and the cross-reference stream: once each.
    assert tuned_compressions == 5
    assert plain_compressions == 9
