"""The section parser and the heading index against straightforward reference versions (the
parser as it was before it was made linear: markdown-it-py's headings, each section's end found
by scanning the later headings, and every heading matched against every name), on generated
documents, including hostile ones. Their speed
on a card of 200,000 headings is measured in `benchmarks/pathological_sizes.py`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from governance.checks.documentation.headings import (
    HeadingIndex,
    first_word,
    heading_matches,
    heading_words,
)
from governance.checks.documentation.markdown_sections import parse_markdown

_LINES = [
    "# Intended use",
    "## Intended uses & limitations",
    "### 2.1 Limitations",
    "#### Evaluation",
    "###### Deep",
    "####### not a heading",
    "Training data",
    "=====",
    "-----",
    "text of a paragraph",
    "    indented code",
    "```",
    "~~~",
    "> ## quoted heading",
    "> quoted text",
    "- ## listed heading",
    "- item",
    "  ## in the item",
    "<!-- # comment -->",
    "<div>",
    "#",
    "## Uses ##",
    "## Ünïcødé é",
    "# A *b* &amp; `c`  #",
    "\t## tab",
    "   ## three",
    "1. ## ordered",
    "> Set",
    "> ===",
    "  line  in  the  item",
    "*  * *",
    "[x]: /url",
    "\x00## nul",
    "> > > > > > > > > > # ten quotes deep",
    "- - - - - - - - - - ## ten lists deep",
    "                    ## indented far",
    "",
    "",
]


def _reference_sections(text: str) -> list[tuple[str, int, int, str]]:
    """(heading, level, line, body) of every section, computed the quadratic way."""
    lines = text.splitlines()
    tokens = MarkdownIt("commonmark").parse("\n".join(lines))
    headings = [
        (t.map[0], t.map[1], int(t.tag[1:]), _unindented(tokens[i + 1].content.strip()))
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.map is not None
    ]
    heading_lines = {line for start, end, _, _ in headings for line in range(start, end)}
    sections = []
    for index, (start, end, level, title) in enumerate(headings):
        stop = next((h[0] for h in headings[index + 1 :] if h[2] <= level), len(lines))
        body = "\n".join(lines[line] for line in range(end, stop) if line not in heading_lines)
        sections.append((title, level, start + 1, body))
    return sections


def _unindented(heading: str) -> str:
    return "\n".join(line.lstrip(" \t") for line in heading.split("\n"))


def test_a_lazy_line_of_a_quoted_setext_heading_keeps_no_indentation():
    # The two parsers differed here (markdown-it.rs dropped the indentation, markdown-it-py
    # kept it), so a heading's text depended on which of them read the document.
    quoted = "> Set\n    indented code\n> ==="
    deep = quoted + "\n\n" + " " * 20 + "code indented far enough for markdown-it-py"
    for text in (quoted, "Set\n    indented code\n===", deep):
        assert [s.heading for s in parse_markdown(text).sections] == ["Set\nindented code"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=40))
def test_sections_equal_the_reference_parser(lines):
    text = "\n".join(lines)
    document = parse_markdown(text)
    parsed = [(s.heading, s.level, s.line, s.body) for s in document.sections]
    assert parsed == _reference_sections(text)


_NAMES = [
    "Intended use",
    "Limitations",
    "Uses",
    "Evaluation",
    "Training data",
    "Deep",
    "Analysis",
    "Bias",
    "And more",
    "Category",
]
_INDEXED_LINES = [
    *_LINES,
    "## Use",
    "## 3. Evaluations",
    "## Usage",
    "## Analyses",
    "## IV. Biases and risks",
    "## a) Uses",
    "## & more",
    "## Categories",
    "## \u0130ntended use",  # lower-cases to an ASCII "i" and a combining dot
    "## 2.1",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("1 .):&ivxlcaIntedUuses\u0130\u212a-\t"), max_size=20))
def test_first_word_is_the_first_of_the_heading_words(text):
    assert first_word(text) == (heading_words(text) or ("",))[0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_INDEXED_LINES), max_size=30),
    st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3),
)
def test_heading_index_finds_what_matching_every_heading_finds(lines, names):
    document = parse_markdown("\n".join(lines))
    names = tuple(names)
    expected = tuple(s for s in document.sections if heading_matches(s.heading, names))
    assert document.sections_matching(names) == expected
    assert HeadingIndex(s.heading for s in document.sections).matching(names) == tuple(
        i for i, s in enumerate(document.sections) if heading_matches(s.heading, names)
    )


@pytest.mark.parametrize(
    "text",
    [
        ">" * 100_000 + " # deep",  # the Rust parser's stack overflowed
        "- " * 50_000 + "x\n# after",
        "1. " * 50_000 + "x",
        "# h\n" + "![" * 50_000 + "x" + "](u)" * 50_000,  # nested images crashed inline parsing
        "# h\n" + "*a " * 100_000 + "b*" * 100_000,  # emphasis runs took minutes
    ],
)
def test_hostile_nesting_neither_crashes_nor_differs(text):
    document = parse_markdown(text)
    parsed = [(s.heading, s.level, s.line, s.body) for s in document.sections]
    assert parsed == _reference_sections(text)
