"""How much real content a section holds, once comments and placeholders are set aside."""

from __future__ import annotations

import re
from collections.abc import Callable

# Each pattern runs in time linear in the text, since a card may come from a pull request: a
# pattern whose end cannot be found is tried only where that end is still ahead (`_before_last`),
# and a line's lead is one class per line (two classes sharing `*`, or a class holding `\n`,
# made a line of 5,000 stars take 20 seconds, and a card of them days).
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_JINJA_COMMENT = re.compile(r"\{#.*?(?:#\}|$)", re.DOTALL)
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_LINE_LEAD = r"^(?:[^\S\n]|[>*\-+#_`|])*(?:\d+[.)][^\S\n]*[*_`]*)?"
"""Spacing of any kind but a newline (a no-break space a word processor exports), and markup:
two sets that share no character, so a lead is read one way only."""


def content_words(body: str, placeholders: tuple[str, ...]) -> tuple[int, bool]:
    """(words of real content, whether a placeholder was present).

    Template comments are dropped; a line that starts with a placeholder marker ("TODO: fill
    in") is dropped whole; a placeholder elsewhere ("[More Information Needed]") is dropped
    where it stands.
    """
    text = _JINJA_COMMENT.sub(" ", _HTML_COMMENT.sub(" ", body))
    text = _before_last("}}", text, lambda head: _JINJA_EXPRESSION.sub(" ", head))
    # A link's address is not prose.
    text = _before_last(")", text, lambda head: _LINK_TARGET.sub("] ", head))
    found = False
    for marker in sorted(placeholders, key=len, reverse=True):
        escaped = re.escape(marker)
        edge = r"\b" if marker[:1].isalnum() else ""
        tail = r"\b" if marker[-1:].isalnum() else ""
        # Upper-case markers (TODO, TBD) are matched as written: "a todo list" is prose.
        case = 0 if marker.isupper() else re.IGNORECASE
        line_pattern = re.compile(_LINE_LEAD + edge + escaped + tail + r".*$", case | re.M)
        inline_pattern = re.compile(edge + escaped + tail, case)
        text, line_hits = line_pattern.subn(" ", text)
        text, inline_hits = inline_pattern.subn(" ", text)
        found = found or bool(line_hits or inline_hits)
    return len(_WORD.findall(text)), found


def _before_last(end: str, text: str, replace: Callable[[str], str]) -> str:
    """`replace` applied to `text` up to its last `end`: a match must end with one, and every
    start of a match after it would otherwise be tried to the end of the text."""
    cut = text.rfind(end) + len(end) if end in text else 0
    return replace(text[:cut]) + text[cut:]
