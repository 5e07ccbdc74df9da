"""Every report format renders the canonical audit; the text formats match their golden files."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from governance.engine.result import AuditResult
from governance.render.formats import DEFAULT_FORMATS, ReportFormat


@pytest.mark.parametrize("report_format", list(ReportFormat))
def test_every_format_renders_the_canonical_audit(
    report_format: ReportFormat, result: AuditResult
) -> None:
    output = report_format.render(result)
    assert output
    if report_format is ReportFormat.PDF:
        assert isinstance(output, bytes) and output.startswith(b"%PDF-")
    else:
        assert isinstance(output, str) and "canonical" in output


def test_every_format_but_the_console_has_its_own_file() -> None:
    names = [f.file_name for f in ReportFormat if f.file_name is not None]
    assert len(names) == len(set(names)) == len(ReportFormat) - 1
    assert ReportFormat.CONSOLE.file_name is None
    assert {f.file_name for f in (ReportFormat.HTML, ReportFormat.PDF)} == {
        "report.html",
        "report.pdf",
    }
    assert ReportFormat.SARIF.file_name == "report.sarif"
    assert ReportFormat.JUNIT.file_name == "junit.xml"


def test_the_default_formats_include_the_pdf_and_the_ci_formats() -> None:
    assert {ReportFormat.PDF, ReportFormat.SARIF, ReportFormat.JUNIT} <= set(DEFAULT_FORMATS)


@pytest.mark.parametrize(
    "report_format",
    [ReportFormat.SARIF, ReportFormat.JUNIT, ReportFormat.MARKDOWN, ReportFormat.HTML],
)
def test_text_formats_match_their_golden_files(
    report_format: ReportFormat, result: AuditResult, golden: Callable[[str, str], None]
) -> None:
    output = report_format.render(result)
    assert isinstance(output, str)
    golden(report_format.file_name or "", output)
