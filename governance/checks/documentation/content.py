"""How much real content a section holds, once comments and placeholders are set aside."""

from __future__ import annotations

import re

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_JINJA_COMMENT = re.compile(r"\{#.*?(?:#\}|$)|\{\{.*?\}\}", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_LINE_LEAD = r"^[\s>*\-+#_`|]*(?:\d+[.)]\s*)?[*_`]*"


def content_words(body: str, placeholders: tuple[str, ...]) -> tuple[int, bool]:
    """(words of real content, whether a placeholder was present).

    Template comments are dropped; a line that starts with a placeholder marker ("TODO: fill
    in") is dropped whole; a placeholder elsewhere ("[More Information Needed]") is dropped
    where it stands.
    """
    text = _JINJA_COMMENT.sub(" ", _HTML_COMMENT.sub(" ", body))
    text = _LINK_TARGET.sub("] ", text)  # a link's address is not prose
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
