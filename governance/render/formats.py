"""The report formats, the file each is written to, and the renderer that makes it."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.engine.result import AuditResult


class ReportFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"
    MARKDOWN = "md"
    HTML = "html"
    PDF = "pdf"
    SARIF = "sarif"
    JUNIT = "junit"
    OSCAL = "oscal"
    OPENMETRICS = "openmetrics"
    CYCLONEDX = "cyclonedx"

    @property
    def file_name(self) -> str | None:
        """None for the console, which is printed rather than written."""
        return _FILE_NAMES.get(self)

    def render(self, result: AuditResult) -> str | bytes:
        return _renderers()[self](result)


def _render_html(result: AuditResult) -> str:
    # Imported when chosen: Pillow and jinja2 (for the charts and page) are not needed by the
    # CI formats.
    from governance.render.html_report import render_html

    return render_html(result)


def _render_pdf(result: AuditResult) -> bytes:
    # Imported when chosen: weasyprint takes a noticeable moment to import.
    from governance.render.pdf_report import render_pdf

    return render_pdf(result)


def _render_cyclonedx(result: AuditResult) -> str:
    # Imported when chosen: cyclonedx-python-lib is needed by the ML-BOM alone.
    from governance.render.cyclonedx_bom import render_cyclonedx

    return render_cyclonedx(result)


_FILE_NAMES = {
    ReportFormat.JSON: "audit.json",
    ReportFormat.MARKDOWN: "summary.md",
    ReportFormat.HTML: "report.html",
    ReportFormat.PDF: "report.pdf",
    ReportFormat.SARIF: "report.sarif",
    ReportFormat.JUNIT: "junit.xml",
    ReportFormat.OSCAL: "assessment-results.json",
    ReportFormat.OPENMETRICS: "metrics.prom",
    ReportFormat.CYCLONEDX: "bom.cdx.json",
}


@cache
def _renderers() -> dict[ReportFormat, Callable[[AuditResult], str | bytes]]:
    # Imported when a report is rendered: naming the formats (the command line) needs none.
    from governance.render.console import render_console
    from governance.render.json_report import render_json
    from governance.render.junit_report import render_junit
    from governance.render.markdown_summary import render_markdown
    from governance.render.openmetrics import render_openmetrics
    from governance.render.oscal_results import render_oscal
    from governance.render.sarif_report import render_sarif

    return {
        ReportFormat.CONSOLE: render_console,
        ReportFormat.JSON: render_json,
        ReportFormat.MARKDOWN: render_markdown,
        ReportFormat.HTML: _render_html,
        ReportFormat.PDF: _render_pdf,
        ReportFormat.SARIF: render_sarif,
        ReportFormat.JUNIT: render_junit,
        ReportFormat.OSCAL: render_oscal,
        ReportFormat.OPENMETRICS: render_openmetrics,
        ReportFormat.CYCLONEDX: _render_cyclonedx,
    }


DEFAULT_FORMATS = (
    ReportFormat.CONSOLE,
    ReportFormat.JSON,
    ReportFormat.MARKDOWN,
    ReportFormat.PDF,
    ReportFormat.SARIF,
    ReportFormat.JUNIT,
)
"""Everything but HTML: the PDF is the report to file (it carries `audit.json` and is what gets
signed), SARIF, JUnit and Markdown are what CI systems pick up, and all of them but the PDF cost
milliseconds. The HTML report shows the same content as the PDF, for a browser, on request.
OSCAL assessment results, OpenMetrics and CycloneDX are opt-in: they feed systems a team must
have set up (compliance tooling, Prometheus, a BOM inventory), and a file nobody collects would
only be one more subject to attest."""
