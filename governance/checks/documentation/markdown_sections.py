"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser (markdown-it), so `#` lines inside code blocks are not
headings and setext (underlined) headings are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt


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


def parse_markdown(text: str) -> MarkdownDocument:
    lines = text.splitlines()
    front_matter, front_matter_error, offset = _front_matter(lines)
    body_lines = lines[offset:]
    headings = _headings("\n".join(body_lines))
    heading_lines = {start for start, _, _, _ in headings} | {
        line for start, end, _, _ in headings for line in range(start, end)
    }
    sections = []
    for index, (start, end, level, title) in enumerate(headings):
        stop = next(
            (other[0] for other in headings[index + 1 :] if other[2] <= level), len(body_lines)
        )
        body = "\n".join(body_lines[line] for line in range(end, stop) if line not in heading_lines)
        sections.append(Section(heading=title, level=level, line=start + offset + 1, body=body))
    return MarkdownDocument(front_matter, front_matter_error, tuple(sections))


def _headings(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after, level, text) of every heading, 0-based lines."""
    tokens = MarkdownIt("commonmark").parse(text)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = tokens[index + 1].content.strip()
            found.append((token.map[0], token.map[1], int(token.tag[1:]), title))
    return found


def _front_matter(lines: list[str]) -> tuple[dict[str, Any] | None, str | None, int]:
    """Parse a leading `---` YAML block; returns (data, error, lines consumed)."""
    if not lines or lines[0].strip() != "---":
        return None, None, 0
    closing = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None
    )
    if closing is None:
        return None, "front matter starts with '---' but is never closed", 0
    try:
        data = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        return None, f"front matter is not valid YAML{where}", closing + 1
    if data is None:
        return {}, None, closing + 1
    if not isinstance(data, dict):
        return None, "front matter is not a mapping of fields", closing + 1
    return {str(key): value for key, value in data.items()}, None, closing + 1
