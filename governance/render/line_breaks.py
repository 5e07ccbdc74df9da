"""Where long identifiers may break across lines: between names, after `.`, `/` and `=`
(`applicants.` / `contact_email`, `race_ethnicity=` / `Black`), never inside a name or a
number (`0.3222`). The report marks these places with `<wbr>`, and the column widths give
every column room for its longest name (`name_parts`), so no word is cut. Charts, which wrap
their labels themselves, may also break a name too long for a line after `_`."""

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
    # Between names only: a browser breaks at the last place that fits, and would cut
    # `race_` / `ethnicity` though the whole name fits on the next line.
    return Markup("<wbr>").join(escape(part) for part in _BETWEEN_NAMES.split(text))
