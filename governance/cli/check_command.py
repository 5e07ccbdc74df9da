"""`governance check`: validate manifests with their policies and waivers, reading no data;
with `--documents`, also run their documentation rules (a pre-commit hook's few seconds)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.severity import FailOn

if TYPE_CHECKING:
    from governance.engine.result import RuleResult


@reports_errors
def check_command(
    manifests: Annotated[
        list[Path] | None, typer.Argument(help="Audit manifests [default: audit.yaml].")
    ] = None,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents", help="Also run the documentation rules (model cards, datasheets)."
        ),
    ] = False,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="With --documents: lowest severity that fails."),
    ] = FailOn.HIGH,
    allow_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-path",
            metavar="DIR",
            help="A folder files may also be read from (repeatable).",
        ),
    ] = None,
) -> None:
    """Validate manifests, policies and waivers, reading no data.

    Exit 2 naming the first problem. With --documents, also run the documentation rules, and
    exit 1 when one fails the gate."""
    from governance.engine.audit_definition import load_audit_definition
    from governance.engine.document_check import check_documents

    failed = False
    for manifest in manifests or [Path("audit.yaml")]:
        if not documents:
            definition = load_audit_definition(manifest, allowed=allow_paths or ())
            rules, waivers = len(definition.policies.rules), len(definition.waivers)
            print(f"{manifest}: valid, {rules} rules, {waivers} waivers")
            continue
        results = check_documents(manifest, allowed=allow_paths or ())
        for line in document_lines(manifest, results):
            print(line)
        failed = failed or any(result.blocks_gate(fail_on) for result in results)
    raise typer.Exit(1 if failed else 0)


def document_lines(manifest: Path, results: tuple[RuleResult, ...]) -> list[str]:
    """One line per rule, then `file:line: message` per open finding of a failing rule, with
    paths as seen from where the command runs."""
    from governance.text_escaping import escape_controls

    lines = [f"{manifest}: {len(results)} documentation rules"]
    for result in results:
        title = escape_controls(result.title)
        lines.append(f"  {result.outcome.value:<8} {result.id} ({result.severity.value}): {title}")
        for finding in result.findings:
            if finding.waived_by is not None:
                continue
            where = manifest.parent / finding.location.path if finding.location else manifest
            line = f":{finding.location.line}" if finding.location and finding.location.line else ""
            lines.append(f"    {escape_controls(str(where))}{line}: {finding.message}")
    return lines
