"""`report.html`: the full audit report as one self-contained, accessible HTML file."""

from __future__ import annotations

from typing import Literal

from governance.engine.result import AuditResult
from governance.render.report_outline import report_outline
from governance.render.templating import template_environment


def render_html(result: AuditResult) -> str:
    return report_html(result, medium="html")


def report_html(result: AuditResult, medium: Literal["html", "pdf"]) -> str:
    """The report's HTML; `medium="pdf"` adds what only the PDF has (the attachment note)."""
    template = template_environment().get_template("report.html.j2")
    return template.render(outline=report_outline(result), medium=medium)
