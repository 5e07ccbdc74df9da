"""`governance audit`: run the audit, print the summary, write the reports, set the exit code."""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from governance.cli.error_handling import EXIT_GATE_FAILED, EXIT_PASSED, reports_errors
from governance.engine.run import run_audit
from governance.errors import UsageError
from governance.render.console import console_summary
from governance.render.formats import DEFAULT_FORMATS, ReportFormat
from governance.report_files import write_report_files
from governance.severity import Severity


@reports_errors
def audit_command(
    manifest: Annotated[Path, typer.Argument(help="The audit manifest.")] = Path("audit.yaml"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder [default: reports/NAME/]")
    ] = None,
    fail_on: Annotated[
        Severity,
        typer.Option("--fail-on", help="Lowest severity of a failed rule that fails the gate."),
    ] = Severity.HIGH,
    formats: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: console,json,md.")
    ] = ",".join(f.value for f in DEFAULT_FORMATS),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    nlp_model: Annotated[
        str | None,
        typer.Option("--nlp-model", help="Installed spaCy model for PII NER (never downloaded)."),
    ] = None,
) -> None:
    """Audit the model and datasets a manifest describes against its policies."""
    chosen = parse_formats(formats)
    console = Console(stderr=False, highlight=False)
    show_progress = not quiet and console.is_terminal and not os.environ.get("CI")
    with console.status("Auditing…", spinner="dots") if show_progress else nullcontext():
        result = run_audit(manifest, fail_on=fail_on, nlp_model=nlp_model)
    files = {f.file_name: f.render(result) for f in chosen if f.file_name is not None}
    folder = out if out is not None else Path("reports") / result.audit.name
    written = write_report_files(folder, files)
    if not quiet and ReportFormat.CONSOLE in chosen:
        console.print(console_summary(result))
        for path in written:
            console.print(f"wrote {path}", style="dim")
    raise typer.Exit(EXIT_GATE_FAILED if result.gate_failures() else EXIT_PASSED)


def parse_formats(text: str) -> tuple[ReportFormat, ...]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    known = ", ".join(f.value for f in ReportFormat)
    try:
        chosen = tuple(dict.fromkeys(ReportFormat(name) for name in names))
    except ValueError:
        bad = next(n for n in names if n not in {f.value for f in ReportFormat})
        raise UsageError(f"unknown report format '{bad}' (formats: {known})") from None
    if not chosen:
        raise UsageError(f"--format names no format (formats: {known})")
    return chosen
