"""The PDF: reproducible byte for byte, PDF/A-3u with audit.json attached, long names wrapped."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from governance.engine.result import AuditResult
from governance.render.json_report import render_json
from governance.render.pdf_report import render_pdf, report_document
from governance.vocabulary.findings import FindingLocation
from tests.reports.canonical_audit import canonical_result_with_chart

WithEvidence = Callable[[AuditResult, str, object], AuditResult]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdfdetach") is None, reason="poppler-utils (pdfdetach, pdftotext) not installed"
)

# The stand-in evidence is no member of the evidence union, so pydantic warns when audit.json
# is attached; the JSON is still complete.
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render_pdf(canonical_result_with_chart()))
    return path


def test_two_renders_of_the_same_audit_are_byte_identical(pdf_path: Path) -> None:
    again = render_pdf(canonical_result_with_chart())
    assert again == pdf_path.read_bytes()
    assert b"/Subtype /Image" in again  # the chart, a PNG, is in it


@needs_poppler
def test_pdfdetach_lists_audit_json_and_it_is_the_audit(pdf_path: Path, tmp_path: Path) -> None:
    listing = subprocess.run(
        ["pdfdetach", "-list", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert "audit.json" in listing
    saved = tmp_path / "audit.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(saved), str(pdf_path)], check=True)
    assert saved.read_text(encoding="utf-8") == render_json(canonical_result_with_chart())


@needs_poppler
def test_the_pdf_declares_pdf_a_3u_and_the_audit_date(pdf_path: Path) -> None:
    metadata = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="U"' in metadata
    assert "<xmp:CreateDate>2026-11-26T00:00:00Z</xmp:CreateDate>" in metadata
    assert "<xmp:ModifyDate>2026-11-26T00:00:00Z</xmp:ModifyDate>" in metadata


@needs_poppler
def test_every_page_says_page_x_of_y(pdf_path: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def _line_boxes(box: object) -> Iterator[object]:
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "LineBox":
            yield child
        yield from _line_boxes(child)


def test_very_long_names_wrap_inside_the_page(result: AuditResult) -> None:
    long_id = "RULE-" + "X" * 120
    long_path = "data/" + "very_long_folder_name_" * 8 + "applicants.csv"
    rule = next(r for r in result.rules if r.id == "DOC-MC-005")
    finding = rule.findings[0].model_copy(
        update={"location": FindingLocation(path=long_path, line=1)}
    )
    renamed = rule.model_copy(
        update={"id": long_id, "title": "Unbroken" * 40, "findings": (finding,)}
    )
    inputs = (*result.inputs, result.inputs[0].model_copy(update={"path": long_path}))
    changed = result.model_copy(
        update={
            "rules": tuple(renamed if r.id == rule.id else r for r in result.rules),
            "inputs": inputs,
        }
    )
    document = report_document(changed).render()
    overflowing = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right_edge = page_box.margin_width() - page_box.margin_right
        for line in _line_boxes(page_box):
            end = line.position_x + line.width  # type: ignore[attr-defined]
            if end > right_edge + 1:
                overflowing.append((number, end, right_edge))
    assert not overflowing
    assert re.search(r"X{40}", changed.rules[1].id)
