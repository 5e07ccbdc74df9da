"""`governance schema NAME`: the JSON Schema of a file the tool reads or writes, for editors."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.config.suggestions import did_you_mean
from governance.errors import UsageError
from governance.reference.input_schemas import INPUT_FILES
from governance.resources import resource_dir

SCHEMA_FILES = {
    **{kind.name: kind.schema_file for kind in INPUT_FILES},
    "audit-result": "audit-result.schema.json",
}


@reports_errors
def schema_command(
    name: Annotated[
        str,
        typer.Argument(help="Which file: manifest, policy, waivers, or audit-result (audit.json)."),
    ],
    path: Annotated[
        bool, typer.Option("--path", help="Print where the installed schema is, not the schema.")
    ] = False,
) -> None:
    """Print the JSON Schema of a manifest, policy, waivers file or audit.json."""
    if name not in SCHEMA_FILES:
        known = ", ".join(SCHEMA_FILES)
        raise UsageError(f"no schema named '{name}'{did_you_mean(name, SCHEMA_FILES)} ({known})")
    schema = resource_dir("schemas") / SCHEMA_FILES[name]
    if path:
        print(schema)
    else:
        print(schema.read_text(encoding="utf-8"), end="")
