"""Rendering every chosen report format, so that one format's crash costs only that format."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from governance.cli.error_handling import EXIT_GATE_FAILED, EXIT_INTERNAL_ERROR, EXIT_PASSED
from governance.engine.result import AuditResult
from governance.personal_data.identifiers import mask_in_text
from governance.render.child_process import ChildRenderError
from governance.render.formats import ReportFormat


@dataclass(frozen=True)
class RenderFailure:
    summary: str
    traceback: str


@dataclass(frozen=True)
class RenderedReports:
    files: Mapping[str, str | bytes]
    """File name → content, for every format that rendered."""
    failures: Mapping[ReportFormat, RenderFailure]
    """Format → what went wrong, for every format that crashed."""


def render_reports(
    result: AuditResult,
    formats: tuple[ReportFormat, ...],
    announce: Callable[[str], None] = lambda _message: None,
    renderers: Mapping[ReportFormat, Callable[[AuditResult], str | bytes]] | None = None,
) -> RenderedReports:
    """Render each format that has a file; a crash in one is recorded, and the rest go on.
    `announce` hears which file is being rendered (a progress line on a terminal);
    `renderers` replace the formats' own: renderings started ahead (report.pdf in its child),
    waited for after the other formats are rendered. The files keep the order of `formats`."""
    chosen = renderers or {}
    files: dict[str, str | bytes] = {}
    failures: dict[ReportFormat, RenderFailure] = {}
    for report_format in sorted(formats, key=lambda each: each in chosen):
        if report_format.file_name is None:
            continue
        announce(f"Writing {report_format.file_name}…")
        try:
            render = chosen.get(report_format, report_format.render)
            files[report_format.file_name] = render(result)
        except Exception as error:  # a renderer bug must not cost the other reports
            failures[report_format] = RenderFailure(
                summary=_summary(error),
                traceback=traceback.format_exc()
                + (error.child_traceback if isinstance(error, ChildRenderError) else ""),
            )
    in_order = [f.file_name for f in formats if f.file_name in files]
    return RenderedReports(files={name: files[name] for name in in_order}, failures=failures)


def _summary(error: Exception) -> str:
    # A child process's error already names the type of the one it caught.
    text = str(error) if isinstance(error, ChildRenderError) else f"{type(error).__name__}: {error}"
    return text[:300]


def report_failures(rendered: RenderedReports, *, debug: bool) -> None:
    for report_format, failure in rendered.failures.items():
        if debug:
            print(mask_in_text(failure.traceback), file=sys.stderr)
        print(
            f"internal error: the {report_format.value} report could not be rendered "
            f"({mask_in_text(failure.summary)}); the other reports were written\n"
            "  hint: run with --debug for a traceback, and report it",
            file=sys.stderr,
        )


def audit_exit_code(result: AuditResult, rendered: RenderedReports) -> int:
    """3 when a report could not be rendered, else 1 when the gate failed, else 0.

    A missing report is the tool's fault and outranks the gate's verdict: CI stops either
    way, and the verdict is still in the reports that were written and on the console."""
    if rendered.failures:
        return EXIT_INTERNAL_ERROR
    return EXIT_GATE_FAILED if result.gate_failures() else EXIT_PASSED
