"""The Markdown section parser over model cards and datasheets, and the Croissant reader over
Croissant files, read as the engine reads them."""

from __future__ import annotations

from hypothesis import strategies as st

from fuzz.mutation import mutated
from fuzz.workspace import scratch_folder, seed, write
from governance.checks.documentation.content import content_words
from governance.checks.documentation.croissant import read_croissant
from governance.checks.documentation.markdown_sections import parse_markdown
from governance.checks.documentation.spec import DEFAULT_PLACEHOLDERS
from governance.errors import GovernanceError
from governance.text_files import read_text_file

_PIECES = st.one_of(
    st.sampled_from(
        [
            "# ",
            "## ",
            "###### ",
            "####### ",
            "\n",
            "---\n",
            "...\n",
            "===\n",
            "```\n",
            "~~~\n",
            "    ",
            "> ",
            "- ",
            "1. ",
            "<!-- ",
            " -->",
            "{# ",
            " #}",
            "{{ ",
            "}}",
            "[x](",
            ")",
            "TODO",
            "[More Information Needed]",
            "key: value\n",
            "a: [\n",
            "&a x\n",
            "*a\n",
            "\t",
            "\r",
            "\u2028",
            "\ufeff",
            "\\",
            "<h1>",
            "</h1>",
            "|",
            "`",
        ]
    ),
    st.text(max_size=12),
)


def markdown_files() -> st.SearchStrategy[bytes]:
    built = st.lists(_PIECES, max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))
    return st.one_of(built, mutated((seed("MODEL_CARD.md"), seed("DATASHEET.md"))))


def parse_document(data: bytes) -> None:
    path = write(scratch_folder() / "document.md", data)
    try:
        document = parse_markdown(read_text_file(path, "document"))
    except GovernanceError:
        return
    for section in document.sections:
        content_words(section.body, DEFAULT_PLACEHOLDERS)


_JSON_PIECES = st.one_of(
    st.sampled_from(
        [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            '"@context"',
            '"rai"',
            '"rai:dataBiases"',
            '"@value"',
            '"http://mlcommons.org/croissant/RAI/"',
            '"x"',
            "null",
            "1e999",
            '"\\u0000"',
            "\n",
        ]
    ),
    st.text(max_size=8),
)


def croissant_files() -> st.SearchStrategy[bytes]:
    built = st.lists(_JSON_PIECES, max_size=40).map(lambda parts: "".join(parts).encode())
    nested = st.integers(1, 5000).map(lambda n: ("[" * n + "]" * n).encode())
    return st.one_of(built, nested, mutated((seed("applicants.croissant.json"),)))


def read_croissant_file(data: bytes) -> None:
    path = write(scratch_folder() / "data.croissant.json", data)
    try:
        document = read_croissant(path)
    except GovernanceError:
        return
    for found in document.properties.values():
        content_words("\n".join(found.texts()), DEFAULT_PLACEHOLDERS)
