"""Where long identifiers may break across lines: between names, after `.`, `/` and `=`
(`applicants.` / `contact_email`, `race_ethnicity=` / `Black`), never inside a name or a
number (`0.3222`). The report marks these places with `<wbr>` (in the PDF, the zero-width space
weasyprint would draw for it), and the column widths give
every column room for its longest name (`name_parts`), so no word is cut. Charts, which wrap
their labels themselves, may also break a name too long for a line after `_`."""

from __future__ import annotations

import re
from typing import Literal

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


_BREAK = {"html": Markup("<wbr>"), "pdf": Markup("\u200b")}
"""A break opportunity. weasyprint draws `<wbr>` as a zero-width space (`wbr::before` in its
own style sheet), through an element, a pseudo-element and their boxes each time; the character
itself breaks and draws the same for a tenth of the work. A browser's copy keeps `<wbr>`, which
adds no character to copied text."""


def breakable(value: object, medium: Literal["html", "pdf"] = "html") -> Markup:
    """Text from inputs, escaped, with a break opportunity where an identifier may break."""
    text = "" if value is None else str(value)
    # Between names only: a browser breaks at the last place that fits, and would cut
    # `race_` / `ethnicity` though the whole name fits on the next line.
    return _BREAK[medium].join(escape(part) for part in _BETWEEN_NAMES.split(text))
