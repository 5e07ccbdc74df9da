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
        typer.Option(
            "--trust",
            help="The certificate the signer must chain to: your CA's or the signer's own, "
            "obtained from them directly (PEM or DER). Required unless --allow-untrusted.",
        ),
    ] = None,
    allow_untrusted: Annotated[
        bool,
        typer.Option(
            "--allow-untrusted",
            help="Without --trust: check integrity only. Anyone could have signed the report; "
            "a warning says so.",
        ),
    ] = False,
    inputs: Annotated[
        Path | None,
        typer.Option("--inputs", help="The audit manifest: re-hash its inputs and compare."),
    ] = None,
    allow_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-path",
            metavar="DIR",
            help="With --inputs: a folder besides the manifest's own its inputs may be read "
            "from, as given to the audit (repeatable).",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="FILE",
            help="A file of the report folder that may be there without being attested "
            "(repeatable; none by default: every other file must be attested).",
        ),
    ] = None,
) -> None:
    """Verify a signed report folder, its signer and its inputs.

    Checks the PDF signature, the attestation, the report files, who signed them (--trust)
    and, with --inputs, that the inputs are unchanged.

    Exit 0 when every check holds, 1 when any fails (no --trust is a failure: nothing then says
    who signed), 2 for usage errors.
    """
    # pyHanko takes about a second to import: load it only when verifying, not for every command.
    from governance.signing.verification.outcome import render_verification
    from governance.signing.verification.report_verification import verify_report

    outcome = verify_report(
        report,
        trust=trust,
        allow_untrusted=allow_untrusted,
        inputs=inputs,
        allow_paths=tuple(allow_paths or ()),
        ignored=frozenset(ignore or ()),
    )
    typer.echo(render_verification(outcome))
    raise typer.Exit(EXIT_PASSED if outcome.holds else EXIT_GATE_FAILED)
