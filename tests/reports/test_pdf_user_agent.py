"""The report's user-agent sheet: no style for pseudo-elements it never draws, the same PDF."""

from __future__ import annotations

import pytest
from weasyprint import HTML
from weasyprint import html as weasyprint_html
from weasyprint.css import get_all_computed_styles

from governance.engine.result import AuditResult
from governance.render.html_report import report_html
from governance.render.pdf_outline import pdf_outline
from governance.render.pdf_report import report_document
from governance.render.pdf_user_agent import ReportHTML, narrowed_user_agent_text
from governance.resources import resource_dir


def _both(result: AuditResult) -> tuple[HTML, HTML]:
    """The report as weasyprint styles it by default, and as `ReportHTML` does."""
    html = report_html(pdf_outline(result), medium="pdf")
    fetcher = report_document(result).url_fetcher
    return HTML(string=html, url_fetcher=fetcher), ReportHTML(string=html, url_fetcher=fetcher)


def _pseudo_element_styles(document: HTML) -> set[tuple[str, str]]:
    styles = get_all_computed_styles(document)._computed_styles
    return {
        (element.tag, pseudo)
        for element, pseudo in styles
        if pseudo and not isinstance(element, str)  # not a page's margin box
    }


def test_only_list_items_get_a_marker_style(figures_result: AuditResult) -> None:
    default, narrowed = _both(figures_result)
    assert ("table", "footnote-call") in _pseudo_element_styles(default)
    assert {pseudo for _, pseudo in _pseudo_element_styles(narrowed)} <= {"marker", "after"}
    assert {tag for tag, pseudo in _pseudo_element_styles(narrowed) if pseudo == "marker"} == {"li"}


def test_the_pdf_is_the_same_byte_for_byte(figures_result: AuditResult) -> None:
    default, narrowed = _both(figures_result)
    assert narrowed.write_pdf(pdf_tags=True) == default.write_pdf(pdf_tags=True)


def test_the_narrowing_holds_for_the_report_style() -> None:
    # The sheet is narrowed on these grounds: nothing in the report is a footnote or a note,
    # and no element but `li` is a list item.
    style = (resource_dir("templates") / "report.css").read_text(encoding="utf-8")
    assert "footnote" not in style and "note-" not in style and "list-item" not in style


def test_a_sheet_not_shaped_as_expected_is_left_to_weasyprint() -> None:
    assert narrowed_user_agent_text(weasyprint_html.UA) is not None
    assert narrowed_user_agent_text(weasyprint_html.UA.replace("::note-call", "x")) is None
    assert narrowed_user_agent_text("p { color: red }") is None


@pytest.mark.parametrize("rule", ["::marker {", "::footnote-call {", "::note-callback {"])
def test_the_narrowed_sheet_has_no_universal_pseudo_element_rule(rule: str) -> None:
    narrowed = narrowed_user_agent_text(weasyprint_html.UA)
    assert narrowed is not None and f"\n{rule}" not in narrowed
