"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser (markdown-it), so `#` lines inside code blocks are not
headings and setext (underlined) headings are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from governance.checks.documentation.headings import HeadingIndex
from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError

_BLOCK_PARSER = MarkdownIt("commonmark")
_BLOCK_PARSER.core.ruler.disable("inline")


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
    # A section's body runs to its end line, less the lines of the headings inside it: the
    # lines of all text outside headings, cut per section (each heading's own lines are known).
    is_heading = bytearray(len(body_lines))
    for start, end, _, _ in headings:
        is_heading[start:end] = b"\x01" * (end - start)
    sections = tuple(
        Section(
            heading=title,
            level=level,
            line=start + offset + 1,
            body="\n".join(body_lines[line] for line in range(end, stop) if not is_heading[line]),
        )
        for (start, end, level, title), stop in zip(headings, stops, strict=True)
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

    Only the block structure is parsed: a heading's text is the inline token's source
    `content`, which is set before (and unchanged by) inline parsing."""
    tokens = _BLOCK_PARSER.parse(text)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = tokens[index + 1].content.strip()
            found.append((token.map[0], token.map[1], int(token.tag[1:]), title))
    return found


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
