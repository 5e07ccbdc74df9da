"""Tolerant heading matching: "2.1 Intended Uses & Limitations" satisfies "Intended use"."""

from __future__ import annotations

import re

_NUMBERING = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s*|\d+(?:\.\d+)*\s+)+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def heading_tokens(text: str) -> tuple[str, ...]:
    """Lower-case words of a heading without numbering, punctuation or plural `s`."""
    lowered = text.lower().replace("&", " and ")
    lowered = _NUMBERING.sub("", lowered, count=1)
    words = _NON_WORD.sub(" ", lowered).split()
    return tuple(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def heading_matches(heading: str, names: tuple[str, ...]) -> bool:
    """True when the heading starts with the words of any of `names` (after normalising), so
    "Limitations and biases" satisfies "Limitations" but "Use" does not satisfy "Uses of data"."""
    words = heading_tokens(heading)
    for name in names:
        wanted = heading_tokens(name)
        if wanted and words[: len(wanted)] == wanted:
            return True
    return False
