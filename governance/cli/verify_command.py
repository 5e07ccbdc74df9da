"""`governance verify`: is this signed report authentic, untouched, about these inputs?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance.cli.error_handling import EXIT_GATE_FAILED, EXIT_PASSED, reports_errors


@reports_errors
def verify_command(
    report: Annotated[
        Path, typer.Argument(help="Report folder, its report.pdf, or its attestation file.")
    ],
    trust: Annotated[
        Path | None,
        typer.Option("--trust", help="Trusted CA or signer certificate (PEM or DER)."),
    ] = None,
    inputs: Annotated[
        Path | None,
        typer.Option("--inputs", help="The audit manifest: re-hash its inputs and compare."),
    ] = None,
) -> None:
    """Verify the PDF signature, the attestation, the report files and (optionally) the inputs.

    Exit 0 when every check holds, 1 when any fails, 2 for usage errors.
    """
    # pyHanko takes about a second to import: load it only when verifying, not for every command.
    from governance.signing.verification.outcome import render_verification
    from governance.signing.verification.report_verification import verify_report

    outcome = verify_report(report, trust=trust, inputs=inputs)
    typer.echo(render_verification(outcome))
    raise typer.Exit(EXIT_PASSED if outcome.holds else EXIT_GATE_FAILED)
