"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser (markdown-it), so `#` lines inside code blocks are not
headings and setext (underlined) headings are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError


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
