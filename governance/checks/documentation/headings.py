"""Tolerant heading matching: "2.1 Intended Uses & Limitations" satisfies "Intended use".

Case, numbering ("2.1", "IV.", "a)"), punctuation and "&"/"and" are ignored, and singular and
plural forms of a word are the same word ("Biases" ~ "Bias", "Analyses" ~ "Analysis"). A heading
satisfies a name when its words start with the name's words, so "Limitations and biases"
satisfies "Limitations", but "Use" does not satisfy "Uses of the data".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

_NUMBERING_PATTERN = r"\s*(?:(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s*|\d+(?:\.\d+)*\s+)+"
_NUMBERING = re.compile(f"^{_NUMBERING_PATTERN}")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_FIRST_WORD = re.compile(rf"(?:{_NUMBERING_PATTERN})?[^0-9a-z]*([0-9a-z]*)")
"""What `heading_words` keeps first: the numbering removed, the first run of letters and
digits (one pattern per heading, which a document of many headings needs)."""


def heading_words(text: str) -> tuple[str, ...]:
    """Lower-case words of a heading without numbering or punctuation."""
    lowered = text.lower().replace("&", " and ")
    lowered = _NUMBERING.sub("", lowered, count=1)
    return tuple(_NON_WORD.sub(" ", lowered).split())


def first_word(text: str) -> str:
    """`heading_words(text)[0]`, or "" for a heading without words."""
    match = _FIRST_WORD.match(text.lower().replace("&", " and "))
    return match.group(1) if match else ""


@cache
def word_forms(word: str) -> frozenset[str]:
    """The word and the singulars it may be the plural of (uses → use, biases → bias,
    analyses → analysis, categories → category); two words match when their forms meet."""
    forms = {word}
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
        if word.endswith("es"):
            forms.add(word[:-2])
            forms.add(word[:-2] + "is")
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
    return frozenset(forms)


def _same_word(left: str, right: str) -> bool:
    return bool(word_forms(left) & word_forms(right))


def heading_matches(heading: str, names: tuple[str, ...]) -> bool:
    """True when the heading's words start with the words of any of `names`."""
    words = heading_words(heading)
    return any(_starts_with(words, heading_words(name)) for name in names)


def _starts_with(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    return (
        bool(wanted)
        and len(words) >= len(wanted)
        and all(_same_word(a, b) for a, b in zip(words, wanted, strict=False))
    )


class HeadingIndex:
    """A document's headings by the forms of their first word, built once per document: finding
    the headings that satisfy a name then looks only at those that can (a card of 200,000
    headings is searched by every required section of every rule). Only those candidates are
    split into words."""

    def __init__(self, headings: Iterable[str]):
        self._headings = tuple(headings)
        by_word: dict[str, list[int]] = {}
        for index, heading in enumerate(self._headings):
            word = first_word(heading)
            if word:
                by_word.setdefault(word, []).append(index)
        by_form: dict[str, list[int]] = {}
        for word, found in by_word.items():
            for form in word_forms(word):
                by_form.setdefault(form, []).extend(found)
        self._by_form = {form: tuple(found) for form, found in by_form.items()}

    def matching(self, names: tuple[str, ...]) -> tuple[int, ...]:
        """The positions, in document order, of the headings that satisfy any of `names`
        (as `heading_matches` decides)."""
        found: set[int] = set()
        for wanted in (heading_words(name) for name in names):
            if not wanted:
                continue
            for form in word_forms(wanted[0]):
                found.update(
                    index
                    for index in self._by_form.get(form, ())
                    if _starts_with(heading_words(self._headings[index]), wanted)
                )
        return tuple(sorted(found))
