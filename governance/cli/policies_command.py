"""`governance policies list|show|validate`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.errors import SourceLocation
from governance.text_escaping import escape_controls

if TYPE_CHECKING:
    from rich.text import Text

    from governance.policy.loader import PolicySet

# The policy model (with every check kind's spec) and the console tables are imported by the
# commands that use them, inside them: `--help` and `validate` need neither.

policies_app = typer.Typer(help="List, show and validate policies.", no_args_is_help=True)


@policies_app.command("list")
@reports_errors
def list_command() -> None:
    """List the built-in policy packs."""
    from rich.table import Table

    from governance.cli.terminal import output_console
    from governance.config.validation import parse_model
    from governance.config.yaml_document import load_yaml_document
    from governance.policy.loader import builtin_pack_names, resolve_reference
    from governance.policy.model import PolicyFile

    table = Table("pack", "version", "rules", "description")
    for name in builtin_pack_names():
        path, _ = resolve_reference(f"builtin:{name}", Path.cwd())
        policy = parse_model(PolicyFile, load_yaml_document(path, "policy"))
        table.add_row(f"builtin:{name}", policy.version, str(len(policy.rules)), policy.description)
    output_console().print(table)


AllowPaths = Annotated[
    list[Path] | None,
    typer.Option(
        "--allow-path",
        metavar="DIR",
        help="A folder besides the policy's own that its 'extends' may reach (repeatable).",
    ),
]


def load_named_policy(reference: str, allow_paths: list[Path] | None) -> PolicySet:
    """A policy named on the command line, its `extends:` confined to its folder (the real
    one: the file named may be a link) and the allowed folders."""
    from governance.config.confinement import InputScope
    from governance.policy.loader import load_policy_set

    scope = InputScope.around(
        Path(os.path.realpath(reference)), allow_paths or (), base_name="the policy's folder"
    )
    return load_policy_set((reference,), Path.cwd(), (SourceLocation(reference),), scope=scope)


@policies_app.command("show")
@reports_errors
def show_command(
    reference: Annotated[str, typer.Argument(help="builtin:NAME or a policy file.")],
    allow_paths: AllowPaths = None,
) -> None:
    """Show the rules of a policy, with everything it extends resolved."""
    from rich.table import Table

    from governance.cli.terminal import output_console
    from governance.reference.rule_explanation import parameters

    policy_set = load_named_policy(reference, allow_paths)
    table = Table("rule", "severity", "title and controls", "check", "from")
    for column in table.columns:
        column.overflow = "fold"  # an id or a control is never cut short
    table.columns[0].no_wrap = True
    for rule in policy_set.rules:
        written = [f"  {p.key}: {p.value}" for p in parameters(rule) if p.written]
        described = "\n".join((rule.title, *(f"- {control}" for control in rule.controls)))
        table.add_row(
            rule.id,
            rule.severity.value,
            _plain(described),
            _plain("\n".join((f"{rule.kind}:", *written))),
            policy_set.origins[rule.id].policy,
        )
    output_console().print(table)


def _plain(text: str) -> Text:
    """Policy text as it is, lines kept: no console markup, control characters escaped."""
    from rich.text import Text

    return Text("\n".join(escape_controls(line) for line in text.split("\n")))


@policies_app.command("validate")
@reports_errors
def validate_command(
    files: Annotated[list[str], typer.Argument(help="Policy files or builtin:NAME.")],
    allow_paths: AllowPaths = None,
) -> None:
    """Validate policy files and what they extend.

    Exit 2 naming the first problem."""
    for reference in files:
        policy_set = load_named_policy(reference, allow_paths)
        print(f"{reference}: valid, {len(policy_set.rules)} rules")


@policies_app.command("coverage")
@reports_errors
def coverage_command(
    files: Annotated[list[str] | None, typer.Argument(help="Policy files or builtin:NAME.")] = None,
    frameworks: Annotated[
        list[str] | None,
        typer.Option(
            "--framework",
            metavar="NAME",
            help="A framework such as nist-ai-rmf to show even if no rule cites it (repeatable; "
            "by default, every framework the policies cite).",
        ),
    ] = None,
    allow_paths: AllowPaths = None,
) -> None:
    """Show which catalog items the policies' rules cover.

    Per framework, every catalog item with the rules that cite it, and the items no rule
    covers, without running an audit or reading any data."""
    from governance.catalogs.loading import load_catalog
    from governance.engine.framework_coverage import (
        Citation,
        check_framework_names,
        framework_coverage,
    )
    from governance.errors import UsageError
    from governance.render.coverage_text import coverage_text

    if not files and not frameworks:
        raise UsageError("name a policy, a framework (--framework NAME), or both")
    policy_sets = [load_named_policy(reference, allow_paths) for reference in files or ()]
    catalog = load_catalog(file for s in policy_sets for file in s.catalog.files)
    check_framework_names(catalog, frameworks or ())
    coverage = framework_coverage(
        catalog,
        [Citation(rule.id, rule.controls) for s in policy_sets for rule in s.rules],
        named=frameworks or (),
        by_report=[control for s in policy_sets for control in s.covered_by_report],
        report_signed=True,
    )
    print(coverage_text(coverage), end="")
