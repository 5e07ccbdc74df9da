"""`report.html`: the full audit report as one self-contained, accessible HTML file."""

from __future__ import annotations

from typing import Literal

from jinja2 import Template

from governance.engine.result import AuditResult
from governance.render.charts import chart_data_uri
from governance.render.report_outline import ReportOutline, report_outline
from governance.render.templating import template_environment


def render_html(result: AuditResult) -> str:
    return report_html(report_outline(result, chart_source=chart_data_uri), medium="html")


def report_html(outline: ReportOutline, medium: Literal["html", "pdf"]) -> str:
    """The report's HTML; `medium="pdf"` adds what only the PDF has (the attachment note)."""
    return report_template().render(outline=outline, medium=medium)


def report_template() -> Template:
    """The report's template, compiled on first use (about 0.05 s) and kept by jinja."""
    return template_environment().get_template("report.html.j2")
