"""A Markdown document split into front matter and heading-delimited sections.

Headings come from a CommonMark parser, so `#` lines inside code blocks are not headings and
setext (underlined) headings are: markdown-it.rs (the Rust port of markdown-it) with its block
rules only, and markdown-it-py for a document nested deeper than markdown-it-py's limit; both
give the same headings, lines and text. markdown-it-py alone took 13 s for a card of 200,000
headings; markdown-it.rs about 2 s.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from markdown_it_pyrs import MarkdownIt, Node

from governance.checks.documentation.headings import HeadingIndex
from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError

if TYPE_CHECKING:
    import markdown_it

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


class _Heading(NamedTuple):
    start: int
    """0-based line of the heading's first line, in the text after the front matter."""
    end: int
    """The line after the heading's last line."""
    level: int
    text: str


@dataclass(frozen=True)
class MarkdownDocument:
    """The document's outline; a section's body is put together only when it is asked for,
    as a rule looks at the few sections whose heading it requires."""

    front_matter: dict[str, Any] | None
    front_matter_error: str | None
    headings: HeadingIndex
    """The sections' headings, indexed for matching required section names."""
    _lines: tuple[str, ...]
    """The lines after the front matter."""
    _first_line: int
    """How many lines the front matter took."""
    _outline: tuple[_Heading, ...]
    _stops: tuple[int, ...]
    """The line each heading's section ends before."""

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(self.section(index) for index in range(len(self._outline)))

    def sections_matching(self, names: tuple[str, ...]) -> tuple[Section, ...]:
        """The sections, in document order, whose heading satisfies any of `names`."""
        return tuple(self.section(index) for index in self.headings.matching(names))

    def section(self, index: int) -> Section:
        """The `index`-th section: its body runs to its end, less the lines of the headings
        inside it."""
        heading, stop = self._outline[index], self._stops[index]
        body: list[str] = []
        at = heading.end
        inner = index + 1
        while inner < len(self._outline) and self._outline[inner].start < stop:
            body += self._lines[at : self._outline[inner].start]
            at = max(at, self._outline[inner].end)
            inner += 1
        body += self._lines[at:stop]
        return Section(
            heading=heading.text,
            level=heading.level,
            line=heading.start + self._first_line + 1,
            body="\n".join(body),
        )


def parse_markdown(text: str) -> MarkdownDocument:
    with _no_garbage_collection():
        return _parsed(text)


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """The parse builds a node per block (800,000 for a card of 200,000 headings) and keeps
    what it extracts: the collector's passes over them (0.3 s there) would free nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parsed(text: str) -> MarkdownDocument:
    lines = text.splitlines()
    front_matter, front_matter_error, offset = _front_matter(lines)
    body_lines = tuple(lines[offset:])
    outline = tuple(_headings("\n".join(body_lines)))
    return MarkdownDocument(
        front_matter,
        front_matter_error,
        HeadingIndex(heading.text for heading in outline),
        body_lines,
        offset,
        outline,
        tuple(_section_ends(outline, len(body_lines))),
    )


def _section_ends(headings: tuple[_Heading, ...], total: int) -> list[int]:
    """The line each heading's section ends before: the next heading of the same or a higher
    level, else the end of the document. One pass with a stack of the open sections, so a
    document of many headings costs linear time."""
    stops = [total] * len(headings)
    open_sections: list[int] = []
    for index, heading in enumerate(headings):
        while open_sections and headings[open_sections[-1]].level >= heading.level:
            stops[open_sections.pop()] = heading.start
        open_sections.append(index)
    return stops


def _headings(text: str) -> list[_Heading]:
    """Every heading, with 0-based lines; the text is the heading's source between its markers
    (`2.1 *Intended* use`), as markdown-it gives it.

    Only the block structure is parsed (inline syntax never is: nested images and runs of
    emphasis made the inline parser crash or take minutes). A document nested more deeply than
    markdown-it-py's limit of 20 levels goes to markdown-it-py, which stops there (the Rust port
    has no limit, and overflows its stack on tens of thousands of levels)."""
    if _may_nest_deeply(text):
        return _headings_by_markdown_it_py(text)
    text = text.replace("\0", "\ufffd")  # as the parser does, so offsets stay aligned
    data = text.encode("utf-8")
    found = []
    line, at = 0, 0  # the line of byte offset `at`
    for node, (start, end) in _block_headings(_PARSER.tree(text)):
        line += data.count(b"\n", at, start) if start >= at else -data.count(b"\n", start, at)
        at = start
        last = line + data.count(b"\n", start, max(end - 1, start))
        title = "".join([str(child.meta.get("content", "")) for child in node.children])
        found.append(_Heading(line, last + 1, int(node.meta["level"]), _heading_text(title)))
    return found


def _heading_text(content: str) -> str:
    """The heading's text with the indentation of a setext heading's later lines left out: for
    a lazy line in a block quote (`> Set`, `  more`, `> ===`) markdown-it.rs drops it and
    markdown-it-py keeps it, and rendered Markdown shows none."""
    text = content.strip()
    if "\n" not in text:
        return text
    return "\n".join(line.lstrip(" \t") for line in text.split("\n"))


def _may_nest_deeply(text: str) -> bool:
    """Whether some line's container prefix (indentation, `>`, list markers) is wide enough for
    20 levels of nesting: each level takes at least one column of it on the line that opens a
    block inside it."""
    return any(
        len(match.group().expandtabs(4)) >= _NESTING_COLUMNS
        for match in _CONTAINER_PREFIX.finditer(text)
    )


@cache
def _fallback_parser() -> markdown_it.MarkdownIt:
    """markdown-it-py, built (and imported) the first time a document needs it."""
    import markdown_it

    parser = markdown_it.MarkdownIt("commonmark")
    parser.core.ruler.disable("inline")
    return parser


def _headings_by_markdown_it_py(text: str) -> list[_Heading]:
    tokens = _fallback_parser().parse(text)
    return [
        _Heading(
            token.map[0], token.map[1], int(token.tag[1:]), _heading_text(tokens[index + 1].content)
        )
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.map is not None
    ]


def _block_headings(root: Node) -> Iterator[tuple[Node, tuple[int, int]]]:
    """The heading nodes in document order, with their byte span, looking inside block
    containers only."""
    levels = [iter(root.children)]
    while levels:
        for node in levels[-1]:
            name = node.name
            if name in _HEADINGS:
                span = node.srcmap
                if span is not None:
                    yield node, span
            elif name in _CONTAINERS:
                levels.append(iter(node.children))
                break
        else:
            levels.pop()


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
