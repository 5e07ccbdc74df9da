"""The report's user-agent sheet on the weasyprint versions pyproject allows (>=62): before
70, `weasyprint.html` names its sheet `HTML5_UA` (`HTML5_UA_STYLESHEET`, ...), not `UA`."""

from __future__ import annotations

import pytest
from weasyprint import CSS
from weasyprint import html as weasyprint_html

from governance.render import pdf_user_agent
from governance.render.pdf_user_agent import ReportHTML, report_user_agent_sheet

_NAMES = ("UA", "UA_FORM", "UA_STYLESHEET", "UA_FORM_STYLESHEET", "UA_COUNTER_STYLE")


@pytest.fixture
def weasyprint_before_70(monkeypatch: pytest.MonkeyPatch):
    """`weasyprint.html` as weasyprint 62-69 spells it."""
    for name in _NAMES:
        older = getattr(weasyprint_html, name)
        monkeypatch.setattr(weasyprint_html, f"HTML5_{name}", older, raising=False)
        monkeypatch.delattr(weasyprint_html, name)
    report_user_agent_sheet.cache_clear()
    yield
    report_user_agent_sheet.cache_clear()


def test_the_sheet_is_found_under_its_older_name(weasyprint_before_70) -> None:
    sheet = report_user_agent_sheet()
    assert isinstance(sheet, CSS)
    assert ReportHTML(string="<p>x</p>")._ua_stylesheets(forms=True)[1] is (
        weasyprint_html.HTML5_UA_FORM_STYLESHEET
    )


def test_a_report_renders_with_the_older_names(weasyprint_before_70) -> None:
    assert pdf_user_agent.ReportHTML(string="<ul><li>x</li></ul>").write_pdf().startswith(b"%PDF")
