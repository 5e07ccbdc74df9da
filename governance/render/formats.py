"""The report formats, the file each is written to, and the renderer that makes it."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache
from importlib import import_module
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
    # Each renderer is imported when its format is rendered: naming the formats (the command
    # line) needs none, and an audit imports only the formats it writes (weasyprint for the
    # PDF, Pillow and jinja2 for the charts and pages, cyclonedx-python-lib for the ML-BOM).
    return {
        ReportFormat.CONSOLE: _imported("console", "render_console"),
        ReportFormat.JSON: _imported("json_report", "render_json"),
        ReportFormat.MARKDOWN: _imported("markdown_summary", "render_markdown"),
        ReportFormat.HTML: _imported("html_report", "render_html"),
        ReportFormat.PDF: _imported("pdf_report", "render_pdf"),
        ReportFormat.SARIF: _imported("sarif_report", "render_sarif"),
        ReportFormat.JUNIT: _imported("junit_report", "render_junit"),
        ReportFormat.OSCAL: _imported("oscal_results", "render_oscal"),
        ReportFormat.OPENMETRICS: _imported("openmetrics", "render_openmetrics"),
        ReportFormat.CYCLONEDX: _imported("cyclonedx_bom", "render_cyclonedx"),
    }


def _imported(module: str, function: str) -> Callable[[AuditResult], str | bytes]:
    """`governance.render.MODULE.FUNCTION`, imported when first called."""

    def render(result: AuditResult) -> str | bytes:
        renderer: Callable[[AuditResult], str | bytes] = getattr(
            import_module(f"governance.render.{module}"), function
        )
        return renderer(result)

    return render


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
