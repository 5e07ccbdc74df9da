"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser, so `#` lines inside code blocks are not headings and
setext (underlined) headings are: markdown-it.rs (the Rust port of markdown-it) with its block
rules only, and markdown-it-py for a document nested deeper than markdown-it-py's limit; both
give the same headings, lines and text. markdown-it-py alone took 13 s for a card of 200,000
headings; markdown-it.rs about 2 s.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown_it
from markdown_it_pyrs import MarkdownIt, Node

from governance.checks.documentation.headings import HeadingIndex
from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError

_PARSER = MarkdownIt("zero").enable_many(
    [
        "blockquote",
        "code",
        "fence",
        "heading",
        "hr",
        "lheading",
        "list",
        "paragraph",
        "reference",
        "html_block",
    ]
)
"""CommonMark's block rules and no inline rule: a heading's inline content stays one text."""
_FALLBACK_PARSER = markdown_it.MarkdownIt("commonmark")
_FALLBACK_PARSER.core.ruler.disable("inline")
_NEWLINE = re.compile(b"\n")
_HEADINGS = frozenset({"heading", "lheading"})
_CONTAINERS = frozenset({"blockquote", "bullet_list", "ordered_list", "list_item"})
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))+", re.M)
_NESTING_COLUMNS = 16
"""A container prefix this wide may nest blocks to markdown-it-py's limit (20 token levels:
a container per column, and the heading or paragraph inside, with a margin)."""


@dataclass(frozen=True)
class Section:
    heading: str
    level: int
    line: int
    """1-based line of the heading in the file."""
    body: str
    """The text under the heading up to the next heading of the same or a higher level, with
    the lines of sub-headings removed (their sections' text is kept)."""


@dataclass(frozen=True)
class MarkdownDocument:
    front_matter: dict[str, Any] | None
    front_matter_error: str | None
    sections: tuple[Section, ...]
    headings: HeadingIndex
    """The sections' headings, indexed for matching required section names."""

    def sections_matching(self, names: tuple[str, ...]) -> tuple[Section, ...]:
        """The sections, in document order, whose heading satisfies any of `names`."""
        return tuple(self.sections[index] for index in self.headings.matching(names))


def parse_markdown(text: str) -> MarkdownDocument:
    lines = text.splitlines()
    front_matter, front_matter_error, offset = _front_matter(lines)
    body_lines = lines[offset:]
    headings = _headings("\n".join(body_lines))
    stops = _section_ends(headings, len(body_lines))
    # A section's body runs to its end line, less the lines of the headings inside it (a
    # section without sub-sections, most of them, is one slice of lines).
    is_heading = bytearray(len(body_lines))
    for start, end, _, _ in headings:
        is_heading[start:end] = b"\x01" * (end - start)
    nexts = [heading[0] for heading in headings[1:]] + [len(body_lines)] * bool(headings)
    sections = tuple(
        Section(
            heading=title,
            level=level,
            line=start + offset + 1,
            body="\n".join(body_lines[end:stop])
            if stop == next_start
            else "\n".join(body_lines[line] for line in range(end, stop) if not is_heading[line]),
        )
        for (start, end, level, title), stop, next_start in zip(headings, stops, nexts, strict=True)
    )
    return MarkdownDocument(
        front_matter,
        front_matter_error,
        sections,
        HeadingIndex(section.heading for section in sections),
    )


def _section_ends(headings: list[tuple[int, int, int, str]], total: int) -> list[int]:
    """The line each heading's section ends before: the next heading of the same or a higher
    level, else the end of the document. One pass with a stack of the open sections, so a
    document of many headings costs linear time."""
    stops = [total] * len(headings)
    open_sections: list[int] = []
    for index, (start, _, level, _) in enumerate(headings):
        while open_sections and headings[open_sections[-1]][2] >= level:
            stops[open_sections.pop()] = start
        open_sections.append(index)
    return stops


def _headings(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after, level, text) of every heading, 0-based lines; the text is the
    heading's source between its markers (`2.1 *Intended* use`), as markdown-it gives it.

    Only the block structure is parsed (inline syntax never is: nested images and runs of
    emphasis made the inline parser crash or take minutes). A document nested more deeply than
    markdown-it-py's limit of 20 levels goes to markdown-it-py, which stops there (the Rust port
    has no limit, and overflows its stack on tens of thousands of levels)."""
    if _may_nest_deeply(text):
        return _headings_by_markdown_it_py(text)
    text = text.replace("\0", "\ufffd")  # as the parser does, so offsets stay aligned
    data = text.encode("utf-8")
    line_starts = [0, *(match.end() for match in _NEWLINE.finditer(data))]
    found = []
    for node, (start, end) in _block_headings(_PARSER.tree(text)):
        first = bisect_right(line_starts, start) - 1
        last = bisect_right(line_starts, max(end - 1, start)) - 1
        title = "".join(str(child.meta.get("content", "")) for child in node.children)
        found.append((first, last + 1, int(node.meta["level"]), title.strip()))
    return found


def _may_nest_deeply(text: str) -> bool:
    """Whether some line's container prefix (indentation, `>`, list markers) is wide enough for
    20 levels of nesting: each level takes at least one column of it on the line that opens a
    block inside it."""
    return any(
        len(match.group().expandtabs(4)) >= _NESTING_COLUMNS
        for match in _CONTAINER_PREFIX.finditer(text)
    )


def _headings_by_markdown_it_py(text: str) -> list[tuple[int, int, int, str]]:
    tokens = _FALLBACK_PARSER.parse(text)
    return [
        (token.map[0], token.map[1], int(token.tag[1:]), tokens[index + 1].content.strip())
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.map is not None
    ]


def _block_headings(root: Node) -> Iterator[tuple[Node, tuple[int, int]]]:
    """The heading nodes in document order, with their byte span, looking inside block
    containers only."""
    pending = list(reversed(root.children))
    while pending:
        node = pending.pop()
        if node.name in _HEADINGS and node.srcmap is not None:
            yield node, node.srcmap
        elif node.name in _CONTAINERS:
            pending.extend(reversed(node.children))


def _front_matter(lines: list[str]) -> tuple[dict[str, Any] | None, str | None, int]:
    """Parse a leading `---` YAML block; returns (data, error, lines consumed).

    It is parsed under the same rules as policies (plain data only, no duplicate keys), and a
    mistake in it is a finding about the document, not a reason to stop the audit."""
    if not lines or lines[0].strip() != "---":
        return None, None, 0
    closing = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None
    )
    if closing is None:
        return None, "front matter starts with '---' but is never closed", 0
    block = "\n".join(lines[1:closing])
    if not block.strip():
        return {}, None, closing + 1
    try:
        data = parse_yaml_text(block, Path("front matter"), "front matter").data
    except InputError as error:
        line = error.location.line if error.location and error.location.line else 0
        message = error.message
        if not message.startswith("front matter"):
            message = f"front matter: {message}"
        return None, f"{message} (line {line + 1})", closing + 1
    if not isinstance(data, dict):
        return None, "front matter is not a mapping of fields", closing + 1
    return data, None, closing + 1
