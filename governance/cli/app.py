"""The `governance` command."""

from __future__ import annotations

import gc
from typing import Annotated

import typer

from governance.cli.audit_command import audit_command
from governance.cli.check_command import check_command
from governance.cli.diff_command import diff_command
from governance.cli.error_handling import set_debug
from governance.cli.explain_command import explain_command
from governance.cli.init_command import init_command
from governance.cli.keys_command import keys_app
from governance.cli.policies_command import policies_app
from governance.cli.schema_command import schema_command
from governance.cli.verify_command import verify_command

app = typer.Typer(
    name="governance",
    help="Check ML models and datasets against declarative policies; write audit reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help is plain text, wrapped to the terminal: rich markup would read `[default: ...]` in
    # a help string as a style tag and drop it, and keep a docstring's line breaks mid-sentence.
    rich_markup_mode=None,
)
app.command("audit")(audit_command)
app.command("check")(check_command)
app.add_typer(policies_app, name="policies")
app.command("verify")(verify_command)
app.add_typer(keys_app, name="keys")
app.command("schema")(schema_command)
app.command("explain")(explain_command)
app.command("init")(init_command)
app.command("diff")(diff_command)


def _print_version(shown: bool) -> None:
    if shown:
        from governance.engine.environment import tool_version

        typer.echo(f"governance {tool_version()}")
        raise typer.Exit()


@app.callback()
def options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the installed version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    set_debug(debug)


def main() -> None:
    try:
        app()
    finally:
        # The process exits next and its memory is freed whole. The interpreter's collections
        # while it tears down would walk every object the command loaded (scikit-learn,
        # presidio, spaCy: ~0.5 s of the example audit's CPU) to free what the exit frees
        # anyway; frozen, they are skipped. atexit handlers still run.
        gc.freeze()
