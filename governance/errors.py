"""One error root for everything the user can fix, mapped to exit codes in one place (the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """Where in an input file something was written: used to point the user at a mistake."""

    file: Path | str
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        text = _as_seen_from_here(self.file)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.key:
            text += f" ({self.key})"
        return text


def _as_seen_from_here(file: Path | str) -> str:
    """An absolute path inside the current folder as the user would type it (relative to it);
    any other path, or a name such as `builtin:baseline`, as it is."""
    path = Path(file)
    if not path.is_absolute():
        return str(file)
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the current folder, or no current folder
        return str(file)


class GovernanceError(Exception):
    """Root of every error the tool reports to the user as one clear sentence (exit code 2)."""

    exit_code = 2
    """Usage, policy and input errors all exit 2 (the CLI maps other failures to 1 and 3)."""

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        hint: str = "",
        further: tuple[GovernanceError, ...] = (),
    ):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.further = further
        """Other problems found in the same pass (every mistake of a file, not only the first),
        each reported on its own line after this one."""

    def problems(self) -> tuple[GovernanceError, ...]:
        """This problem and the further ones, each to be shown as one error."""
        return (self, *(problem for further in self.further for problem in further.problems()))

    def diagnostics(self) -> str:
        """The text shown to the user: location, message, and a hint when there is one; then
        the further problems, each as its own `error:` line.

        Messages quote identifiers (a column name, a heading, a path) that may hold personal
        data or characters that forge lines, so the message and the hint each go through the
        masking identifiers get in reports, on one line."""
        return "\nerror: ".join(problem.own_diagnostics() for problem in self.problems())

    def own_diagnostics(self) -> str:
        """This problem alone, without the further ones."""
        # Imported here: most commands never show an error, and the masking's patterns are
        # compiled when it is first imported.
        from governance.personal_data.identifiers import mask_identifier

        prefix = f"{self.location}: " if self.location else ""
        # Each part on its own line: a newline inside a quoted name is escaped, never a line.
        text = mask_identifier(f"{prefix}{self.message}")
        if self.hint:
            text += f"\n  hint: {mask_identifier(self.hint)}"
        return text

    def __str__(self) -> str:
        return self.diagnostics()


class InputError(GovernanceError):
    """A manifest, policy, waiver, document or dataset is missing, malformed or inconsistent."""


class InputFileError(InputError):
    """An input that rules share cannot be used as it stands (a dataset file that cannot be
    read, a model artifact refused): whichever rule read it first, the error names the input,
    not that rule."""


class UsageError(GovernanceError):
    """The command line asks for something that cannot be done."""


class OutputError(GovernanceError):
    """A report could not be written where the user asked."""


class CheckCannotRun(Exception):  # noqa: N818 - an outcome, reported as the errored reason
    """Raised by a check that cannot run, with a reason written for the user that quotes no
    data; the rule is *errored* with this reason as it stands (other exceptions' messages are
    redacted, since library errors often quote the offending value)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CheckSkipped(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a check that does not apply to this audit; the rule is reported as skipped."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
