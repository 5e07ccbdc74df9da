"""Every command's `--help` reads as written, at the default terminal width.

A help text is one sentence or paragraph wrapped to the terminal, never broken where the source
line of a docstring happened to end; every word of it reaches the reader (nothing read as
markup and dropped, nothing cut with an ellipsis); and a command list shows each command's first
sentence whole.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from governance.cli.app import app

WIDTH = 80
_WRAP = WIDTH - 2
"""Click wraps help at the terminal's width less two columns."""


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))
IDS = [" ".join(path) or "governance" for path, _ in COMMANDS]


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    return result.output


def _words(text: str) -> str:
    return " ".join(text.split())


def _early_breaks(output: str) -> list[str]:
    """Lines broken before the width was used up: the next line's first word would have fit.
    A continuation starts in the column where the line's text does (a paragraph's indent, or
    the help column of an options, arguments or commands list, past its first column)."""
    lines = output.splitlines()
    in_list = False
    broken = []
    for line, following in zip(lines, lines[1:], strict=False):
        if re.fullmatch(r"[A-Z][a-z]+:", line):
            in_list = True
        if not line.strip() or not following.strip() or line.startswith("Usage:"):
            continue
        indent = len(following) - len(following.lstrip())
        columns = {m.start() for m in re.finditer(r"(?<=  )\S", line)}  # where text starts
        continues = indent in columns and (indent > 2 if in_list else True)
        first_word = following.split()[0]
        if continues and len(line) + 1 + len(first_word) <= _WRAP:
            broken.append(f"{line!r} / {following.strip()!r}")
        if continues and re.search(r"\w-$", line):  # a word split at its hyphen
            broken.append(f"{line!r} / {following.strip()!r}")
    return broken


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_has_no_line_broken_mid_sentence(path: tuple[str, ...], command: object) -> None:
    assert _early_breaks(_help(path)) == []


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_help_text_reaches_the_reader_whole(path: tuple[str, ...], command: object) -> None:
    shown = _words(_help(path))
    own = (getattr(command, "help", None) or "").partition("\f")[0]
    assert _words(own) in shown
    for parameter in getattr(command, "params", []):
        text = getattr(parameter, "help", None)
        if text:
            assert _words(text) in shown, parameter.name  # e.g. `[default: ...]` kept


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_command_lists_show_each_first_sentence_whole(
    path: tuple[str, ...], command: object
) -> None:
    output = _help(path)
    listed = [line for line in output.splitlines() if not line.startswith("Usage:")]
    assert not [line for line in listed if line.rstrip().endswith("...") or "…" in line]
    for name, sub in getattr(command, "commands", {}).items():
        first = (sub.help or "").split("\n\n")[0]
        sentence = _words(first).split(". ")[0]
        assert re.search(rf"^  {name} +{re.escape(sentence)}", output, re.M), name


def test_the_checks_find_a_docstring_line_break() -> None:
    """The mid-sentence break the checks exist for is found where it is."""
    output = (
        "Usage: governance check\n\n"
        "  Validate manifests without reading any data; exit 2 naming\n"
        "  the first problem.\n"
    )
    assert _early_breaks(output)
