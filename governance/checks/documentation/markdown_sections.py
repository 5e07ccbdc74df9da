"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser (markdown-it.rs, the Rust port of markdown-it), so `#`
lines inside code blocks are not headings and setext (underlined) headings are. A pure-Python
parser took 13 s for a card of 200,000 headings; this one takes about 2.5 s.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it_pyrs import MarkdownIt, Node

from governance.checks.documentation.headings import HeadingIndex
from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError

_PARSER = MarkdownIt("commonmark")
_NEWLINE = re.compile(b"\n")
_HEADINGS = frozenset({"heading", "lheading"})
_CONTAINERS = frozenset({"blockquote", "bullet_list", "ordered_list", "list_item"})
_CONTAINER_MARKERS = re.compile(r"^[ \t>]*")
"""What opens a continuation line of a heading inside a block quote or list item."""


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
    """(first line, line after, level, text) of every heading, 0-based lines.

    The text is the heading's source between its markers (`2.1 *Intended* use`, closing `#`s
    left out), whitespace collapsed to single spaces (a setext heading may span lines; in a
    block quote or list item their markers are not part of it)."""
    text = text.replace("\0", "\ufffd")  # as the parser does, so offsets stay aligned
    data = text.encode("utf-8")
    line_starts = [0, *(match.end() for match in _NEWLINE.finditer(data))]
    found = []
    for node, (start, end) in _block_headings(_PARSER.tree(text)):
        first = bisect_right(line_starts, start) - 1
        last = bisect_right(line_starts, max(end - 1, start)) - 1
        found.append((first, last + 1, int(node.meta["level"]), _title(data, node)))
    return found


def _block_headings(root: Node) -> Iterator[tuple[Node, tuple[int, int]]]:
    """The heading nodes in document order, with their byte span, looking inside block
    containers only (never at the inline content of paragraphs, which is most of the tree)."""
    pending = list(reversed(root.children))
    while pending:
        node = pending.pop()
        if node.name in _HEADINGS and node.srcmap is not None:
            yield node, node.srcmap
        elif node.name in _CONTAINERS:
            pending.extend(reversed(node.children))


def _title(data: bytes, node: Node) -> str:
    spans = [child.srcmap for child in node.children if child.srcmap is not None]
    if not spans:
        return ""
    source = data[spans[0][0] : spans[-1][1]].decode("utf-8")
    if "\n" in source:
        first, *rest = source.split("\n")
        source = " ".join([first, *(_CONTAINER_MARKERS.sub("", line) for line in rest)])
    return " ".join(source.split())


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
