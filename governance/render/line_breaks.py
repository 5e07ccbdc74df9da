"""Where long identifiers may break across lines: after `.`, `_`, `/` and `=` inside a word
(`applicants.contact_` / `email`, `race_ethnicity=` / `Black`), never in the middle of a name
part and never inside a number (`0.3222`). The report marks these places with `<wbr>`, and
the column widths give every column room for its longest name (`name_parts`), so a word is
cut nowhere else, and at `_` only when a table is too wide for its names."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_AFTER = re.compile(r"(?<=[._/])(?=[^\W\d_])|(?<=_)(?=\d)|(?<==)(?=\S)")
"""A break after a separator followed by a letter (`.`, `_`, `/`), after `_` followed by a
digit, after `=` followed by anything; a `.` between digits (a number) is no break."""


_BETWEEN_NAMES = re.compile(r"(?<=[./])(?=[^\W\d_])|(?<==)(?=\S)")
"""The same places but `_`, which joins the words of one name (`race_ethnicity`)."""


def word_parts(word: str) -> list[str]:
    """The pieces a word may be broken into."""
    return _AFTER.split(word)


def name_parts(word: str) -> list[str]:
    """The pieces a word is best kept to: whole names (`race_ethnicity=`, `contact_email`),
    broken at `_` only when a column has no room for them."""
    return _BETWEEN_NAMES.split(word)


def breakable(value: object) -> Markup:
    """Text from inputs, escaped, with `<wbr>` where an identifier may break."""
    text = "" if value is None else str(value)
    return Markup("<wbr>").join(escape(part) for part in _AFTER.split(text))
