"""`governance schema NAME`: the JSON Schema of a file the tool reads or writes, for editors."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.config.suggestions import did_you_mean
from governance.errors import UsageError
from governance.resources import resource_dir


def schema_files() -> dict[str, str]:
    """Schema file by the name the command takes (the input models load when asked)."""
    from governance.reference.input_schemas import INPUT_FILES

    return {
        **{kind.name: kind.schema_file for kind in INPUT_FILES},
        "audit-result": "audit-result.schema.json",
    }


@reports_errors
def schema_command(
    name: Annotated[
        str,
        typer.Argument(
            help="Which file: manifest, policy, waivers, catalog, or audit-result (audit.json)."
        ),
    ],
    path: Annotated[
        bool, typer.Option("--path", help="Print where the installed schema is, not the schema.")
    ] = False,
) -> None:
    """Print the JSON Schema of an input file or of audit.json."""
    files = schema_files()
    if name not in files:
        known = ", ".join(files)
        raise UsageError(f"no schema named '{name}'{did_you_mean(name, files)} ({known})")
    schema = resource_dir("schemas") / files[name]
    if path:
        print(schema)
    else:
        print(schema.read_text(encoding="utf-8"), end="")
