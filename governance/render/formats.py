"""The report formats, the file each is written to, and the renderer that makes it."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from governance.engine.result import AuditResult
from governance.render.console import render_console
from governance.render.json_report import render_json
from governance.render.markdown_summary import render_markdown


class ReportFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"
    MARKDOWN = "md"

    @property
    def file_name(self) -> str | None:
        """None for the console, which is printed rather than written."""
        return _FILE_NAMES.get(self)

    def render(self, result: AuditResult) -> str | bytes:
        return _RENDERERS[self](result)


_FILE_NAMES = {ReportFormat.JSON: "audit.json", ReportFormat.MARKDOWN: "summary.md"}
_RENDERERS: dict[ReportFormat, Callable[[AuditResult], str | bytes]] = {
    ReportFormat.CONSOLE: render_console,
    ReportFormat.JSON: render_json,
    ReportFormat.MARKDOWN: render_markdown,
}
DEFAULT_FORMATS = (ReportFormat.CONSOLE, ReportFormat.JSON, ReportFormat.MARKDOWN)
