"""GitHub workflow commands (`::error file=…,line=…::message`) for every open finding of a
SARIF log the tool wrote, so a pull request shows each one at its file and line.

`python -m governance.ci.annotations reports/audit/report.sarif --base path/to/manifest-folder`

Finding messages quote column names and group labels, which may come from the pull request
under audit. GitHub's runner reads any output line starting with `::` as a command, so every
message and property is escaped the way the runner un-escapes them (`%`, CR and LF always; `:`
and `,` in properties too): no text can end a command early or start another one.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
"""SARIF levels → workflow commands; level `none` (a reported rule) is not annotated."""


def escape_data(text: str) -> str:
    """A message as GitHub's runner reads it back: `%`, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (`file=`, `title=`): also `:` and `,`, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Annotation:
    command: str
    """`error`, `warning` or `notice`."""
    title: str
    message: str
    file: str | None = None
    line: int | None = None

    def workflow_command(self) -> str:
        properties = [] if self.file is None else [f"file={escape_property(self.file)}"]
        if self.line is not None:
            properties.append(f"line={self.line}")
        properties.append(f"title={escape_property(self.title)}")
        return f"::{self.command} {','.join(properties)}::{escape_data(self.message)}"


def finding_annotations(log: Mapping[str, Any], base: str = ".") -> tuple[Annotation, ...]:
    """One annotation per open (unsuppressed) finding, at its file relative to the
    repository (`base` is the manifest's folder, which the log's paths are relative to), and
    one per rule that could not run."""
    return tuple(a for run in log.get("runs", []) for a in _run_annotations(run, base))


def _run_annotations(run: Mapping[str, Any], base: str) -> Iterator[Annotation]:
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    titles = {rule["id"]: rule.get("shortDescription", {}).get("text", "") for rule in rules}
    for result in run.get("results", []):
        command = _COMMANDS.get(result.get("level", "warning"))
        if command is None or result.get("suppressions"):
            continue
        rule_id = str(result.get("ruleId", "governance"))
        file, line = _location(result, base)
        yield Annotation(
            command=command,
            title=f"{rule_id}: {titles.get(rule_id, '')}".rstrip(": "),
            message=str(result.get("message", {}).get("text", "")),
            file=file,
            line=line,
        )
    for invocation in run.get("invocations", []):
        for notification in invocation.get("toolExecutionNotifications", []):
            if notification.get("level") == "error":
                yield Annotation(
                    command="error",
                    title=str(notification.get("descriptor", {}).get("id", "governance")),
                    message=str(notification.get("message", {}).get("text", "")),
                )


def _location(result: Mapping[str, Any], base: str) -> tuple[str | None, int | None]:
    locations = result.get("locations") or [{}]
    physical = locations[0].get("physicalLocation", {})
    uri = physical.get("artifactLocation", {}).get("uri")
    line = physical.get("region", {}).get("startLine")
    if uri is None:
        return None, None
    return repository_path(uri, base), line if isinstance(line, int) else None


def repository_path(uri: str, base: str) -> str:
    """A log's relative `uri` (relative to the manifest's folder) as a path from the
    repository's root."""
    return posixpath.normpath(posixpath.join(base, unquote(uri)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m governance.ci.annotations",
        description="Print a GitHub annotation for each open finding of a SARIF log.",
    )
    parser.add_argument("sarif", type=Path, help="report.sarif written by governance audit")
    parser.add_argument(
        "--base",
        default=".",
        help="the manifest's folder, relative to the repository root [default: .]",
    )
    arguments = parser.parse_args(argv)
    log = read_sarif(arguments.sarif)
    if log is None:
        return 2
    try:
        annotations = finding_annotations(log, Path(arguments.base).as_posix())
    except (AttributeError, KeyError, TypeError):  # a member of an unexpected type, or missing
        print(f"error: {arguments.sarif}: not a SARIF log governance wrote", file=sys.stderr)
        return 2
    for annotation in annotations:
        print(annotation.workflow_command())
    return 0


def read_sarif(path: Path) -> dict[str, Any] | None:
    """The log, or None after one error line naming the file."""
    try:
        log = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:  # ValueError: JSON and UTF-8
        reason = error.strerror if isinstance(error, OSError) else "not a JSON file"
        print(f"error: {path}: {reason}", file=sys.stderr)
        return None
    if not isinstance(log, dict):
        print(f"error: {path}: not a SARIF log", file=sys.stderr)
        return None
    return log


if __name__ == "__main__":
    sys.exit(main())
