"""PyYAML's parser problems in the words of the person who wrote the file.

PyYAML names its own tokens ("expected <block end>, but found '<block mapping start>'"); the
usual cause is an indentation, a tab or an unclosed quote, which we name instead, with what to do.
A problem not listed here is shown as PyYAML words it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class YamlProblem:
    """What is wrong at the reported line, and what to do about it."""

    text: str
    hint: str = ""
    at_start: bool = False
    """Located where what the parser was reading began (the opening quote), not where it gave
    up (the end of the file, past every line the user wrote)."""


_INDENTATION = YamlProblem(
    "this line is indented to a depth no line above it has",
    "indent the keys of one mapping, and the items of one list, by the same number of spaces",
)
_PLAIN: tuple[tuple[str, YamlProblem], ...] = (
    ("expected <block end>, but found '<block mapping start>'", _INDENTATION),
    ("expected <block end>, but found '<block sequence start>'", _INDENTATION),
    (
        "expected <block end>, but found '-'",
        YamlProblem(
            "a list item '- ...' where the mapping above expects a key",
            "indent the list under the key it belongs to, or write the item as 'key: value'",
        ),
    ),
    (
        "mapping values are not allowed here",
        YamlProblem(
            "a ':' here starts a value where none can start",
            "check this line's indentation against the line above it, and quote a value "
            "that holds ': '",
        ),
    ),
    (
        "found character '\\t' that cannot start any token",
        YamlProblem(
            "a tab character: YAML indents with spaces only", "replace the tab with spaces"
        ),
    ),
    (
        "found unexpected end of stream",
        YamlProblem(
            "a quote is opened and never closed", "close the quote on the same line", at_start=True
        ),
    ),
)


def plain_yaml_problem(problem: str) -> YamlProblem:
    """`problem` (PyYAML's words) as the user's mistake, when it is a common one."""
    for written, plain in _PLAIN:
        if problem.startswith(written):
            return plain
    return YamlProblem(problem)
