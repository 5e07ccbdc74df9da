"""`governance diff OLD NEW`: what changed between two audits."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from governance.cli.error_handling import EXIT_GATE_FAILED, EXIT_PASSED, reports_errors


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "md"


@reports_errors
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier audit: audit.json or report folder.")],
    new: Annotated[Path, typer.Argument(help="The later audit: audit.json or report folder.")],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or md (Markdown).")
    ] = DiffFormat.TEXT,
    trust: Annotated[
        Path | None,
        typer.Option(
            "--trust",
            help="The certificate both sides must be signed by (an unsigned side is then refused) "
            "[default: signed folders checked for integrity only].",
        ),
    ] = None,
    fail_on_new: Annotated[
        bool,
        typer.Option("--fail-on-new", help="Exit 1 when NEW has a finding OLD did not."),
    ] = False,
) -> None:
    """Compare two audits: new and fixed findings, outcomes, figures.

    A signed report folder is verified first, and refused (exit 2) if it fails. Exit 0, or with
    --fail-on-new 1 when there is a new finding (waived ones included); 2 for usage errors.
    """
    from governance.engine.comparison import FindingStatus, compare_audits
    from governance.render.diff_report import (
        render_diff_json,
        render_diff_markdown,
        render_diff_text,
    )
    from governance.signing.checked_audits import read_checked_audit

    earlier, _ = read_checked_audit(old, trust)
    later, _ = read_checked_audit(new, trust)
    comparison = compare_audits(earlier.result, later.result)
    render = {
        DiffFormat.TEXT: render_diff_text,
        DiffFormat.JSON: render_diff_json,
        DiffFormat.MARKDOWN: render_diff_markdown,
    }[output_format]
    typer.echo(render(comparison), nl=False)
    has_new = bool(comparison.with_status(FindingStatus.NEW))
    raise typer.Exit(EXIT_GATE_FAILED if fail_on_new and has_new else EXIT_PASSED)
