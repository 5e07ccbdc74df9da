"""`governance audit`: run the audit, print the summary, write the reports, set the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.cli.error_handling import debug_enabled, reports_errors
from governance.errors import UsageError
from governance.library_loading import collection_paused
from governance.render.formats import DEFAULT_FORMATS, ReportFormat
from governance.severity import FailOn

if TYPE_CHECKING:
    from governance.engine.result import AuditResult


@reports_errors
def audit_command(
    manifest: Annotated[Path, typer.Argument(help="The audit manifest.")] = Path("audit.yaml"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder [default: reports/NAME/]")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder governance did not create; its files are kept.",
        ),
    ] = False,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Lowest severity of a failed rule that fails the gate; 'none' reports only "
            "(an errored rule still fails it).",
        ),
    ] = FailOn.HIGH,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Comma-separated, any of: " + ", ".join(f.value for f in ReportFormat) + ".",
        ),
    ] = ",".join(f.value for f in DEFAULT_FORMATS),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    sign: Annotated[
        bool, typer.Option("--sign", help="Sign report.pdf and attest every report file.")
    ] = False,
    key: Annotated[Path | None, typer.Option("--key", help="Signing key (PEM).")] = None,
    cert: Annotated[Path | None, typer.Option("--cert", help="Signer certificate.")] = None,
    chain: Annotated[
        list[Path] | None,
        typer.Option("--chain", metavar="FILE", help="A CA certificate to embed (repeatable)."),
    ] = None,
    nlp_model: Annotated[
        str | None,
        typer.Option("--nlp-model", help="Installed spaCy model for PII NER (never downloaded)."),
    ] = None,
    allow_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-path",
            metavar="DIR",
            help="A folder besides the manifest's own from which the manifest, its policies "
            "and waivers may read files (repeatable).",
        ),
    ] = None,
    run_by: Annotated[
        str | None,
        typer.Option(
            "--run-by",
            help="Who runs the audit, for the report [default: $GOVERNANCE_RUN_BY, else the "
            "login name].",
        ),
    ] = None,
    frameworks: Annotated[
        list[str] | None,
        typer.Option(
            "--framework",
            metavar="NAME",
            help="A framework whose coverage the reports show even if no rule cites it, e.g. "
            "nist-ai-rmf (repeatable).",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="An earlier audit (audit.json or its report folder; a signed one is verified "
            "first): only findings new since it fail the gate.",
        ),
    ] = None,
    baseline_trust: Annotated[
        Path | None,
        typer.Option(
            "--baseline-trust",
            help="The certificate the baseline must be signed by (an unsigned baseline is then "
            "refused) [default: a signed one checked for integrity only].",
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="Where datasets with 'engine: spark' are read: local[*], spark://HOST:7077, "
            "yarn or sc://HOST:15002 (Spark Connect) [default: $SPARK_REMOTE, "
            "$GOVERNANCE_SPARK_MASTER, the manifest's spark.master, else local[*]].",
        ),
    ] = None,
    spark_allow_uris: Annotated[
        list[str] | None,
        typer.Option(
            "--spark-allow-uri",
            metavar="URI",
            help="A URI prefix (s3a://bucket/lake/) under which the manifest's 'uri:' datasets "
            "may be read, or a cluster master its spark.master may name (repeatable).",
        ),
    ] = None,
) -> None:
    """Audit a model and its datasets against the manifest's policies."""
    # What an audit uses (the engine and the data engine, the renderers, the report folder)
    # is imported when one runs, not when the command line is built for another command.
    from governance.cli.report_rendering import audit_exit_code, render_reports, report_failures
    from governance.cli.signing_options import signing_material
    from governance.cli.terminal import output_console, step_progress
    from governance.data.spark.session import SparkOptions
    from governance.engine.baseline import gated_against
    from governance.engine.run import run_audit
    from governance.render.console import console_summary
    from governance.render.prepared_pdf import prepared_pdf_renderer
    from governance.report_folder.publishing import publish_reports
    from governance.signing.checked_audits import read_checked_audit
    from governance.text_escaping import escape_controls

    chosen = parse_formats(formats)
    material = signing_material(sign, key, cert, chain)
    checked_baseline = read_checked_audit(baseline, baseline_trust) if baseline else None
    console = output_console()
    show_progress = not quiet and console.is_terminal and not os.environ.get("CI")
    # Forked first, while this process runs no other thread (the spinner's is one).
    with prepared_pdf_renderer(ReportFormat.PDF in chosen) as start_pdf:
        with console.status("Auditing…", spinner="dots") if show_progress else nullcontext():
            result = run_audit(
                manifest,
                fail_on=fail_on,
                nlp_model=nlp_model,
                run_by=run_by,
                allow_paths=allow_paths or (),
                formats=[f.value for f in chosen],
                signed=material is not None,
                frameworks=frameworks or (),
                spark=SparkOptions(spark_master, tuple(spark_allow_uris or ())),
            )
        if checked_baseline is not None:
            result = gated_against(result, *checked_baseline)
        # report.pdf renders in its child while this process renders the other formats and
        # imports the signer.
        renderers = {ReportFormat.PDF: _started(start_pdf(result))} if start_pdf else {}
        if material is not None:
            # pyHanko takes about a second to import: load it only when signing.
            with collection_paused():
                from governance.signing.report_signing import sign_report_files
        with step_progress(console, shown=show_progress) as show_step:
            rendered = render_reports(result, chosen, announce=show_step, renderers=renderers)
    files: Mapping[str, str | bytes] = rendered.files
    if material is not None:
        files = sign_report_files(files, result, material)
    folder = out if out is not None else Path("reports") / result.audit.name
    published = publish_reports(folder, files, force=force, protected=[manifest.parent])
    if not quiet and ReportFormat.CONSOLE in chosen:
        console.print(console_summary(result))
        for path in published.files:
            console.print(f"wrote {escape_controls(str(path))}", style="dim", markup=False)
    for warning in published.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    report_failures(rendered, debug=debug_enabled())
    raise typer.Exit(audit_exit_code(result, rendered))


def _started(pending: Callable[[], bytes]) -> Callable[[AuditResult], bytes]:
    """A renderer for a rendering already started: it waits for the bytes."""
    return lambda _result: pending()


def parse_formats(text: str) -> tuple[ReportFormat, ...]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    known = ", ".join(f.value for f in ReportFormat)
    try:
        chosen = tuple(dict.fromkeys(ReportFormat(name) for name in names))
    except ValueError:
        from governance.config.suggestions import did_you_mean

        bad = next(n for n in names if n not in {f.value for f in ReportFormat})
        close = did_you_mean(bad, (f.value for f in ReportFormat))
        raise UsageError(f"unknown report format '{bad}'{close} (formats: {known})") from None
    if not chosen:
        raise UsageError(f"--format names no format (formats: {known})")
    return chosen
