"""The one place where errors become messages and exit codes.

0 passed · 1 gate failed · 2 usage, policy or input error · 3 internal error.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

import typer

from governance.errors import GovernanceError

try:  # typer 0.2x carries its own copy of click; importing click as well costs every command
    from typer._click.exceptions import ClickException
except ImportError:  # earlier typer runs on click itself
    from click.exceptions import ClickException  # type: ignore[assignment]

EXIT_PASSED = 0
EXIT_GATE_FAILED = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 3
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away."""

P = ParamSpec("P")
R = TypeVar("R")


_debug = ContextVar("debug", default=False)


def set_debug(enabled: bool) -> None:
    """Set by the top-level `--debug` option for the command that runs next."""
    _debug.set(enabled)


def debug_enabled() -> bool:
    return _debug.get()


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so the user sees one clear sentence, never a traceback (unless --debug)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except GovernanceError as error:
            if debug_enabled():
                print_traceback()
            print(f"error: {error.diagnostics()}", file=sys.stderr)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # What reads the output stopped reading (`| head`): stop quietly, as a command
            # killed by SIGPIPE does, rather than report a crash.
            _discard_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as error:
            if debug_enabled():
                print_traceback()
            print(
                f"internal error: {type(error).__name__}: {_masked_or_withheld(str(error)[:300])}\n"
                "  hint: run with --debug for a traceback, and report it",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None

    return wrapper


def _discard_stdout() -> None:
    """Point stdout at the null device, so flushing it at exit raises no second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's captured output)
        pass


def print_traceback() -> None:
    """The current exception's traceback on stderr (for --debug), masked like every message:
    exception texts quote the values and names they failed on."""
    print(_masked_or_withheld(traceback.format_exc()), file=sys.stderr, end="")


def _masked_or_withheld(text: str) -> str:
    """`text` masked; withheld whole if masking itself fails (a bug must not print raw text,
    nor turn an error message into a second crash)."""
    try:
        from governance.personal_data.identifiers import mask_in_text

        return mask_in_text(text)
    except Exception:
        return "<text withheld: it could not be masked>"
