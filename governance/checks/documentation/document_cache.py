"""Each document (Markdown, Croissant) is read and parsed once per audit, whatever the number
of rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from governance.checks.documentation.croissant import CroissantDocument, read_croissant
from governance.checks.documentation.markdown_sections import MarkdownDocument, parse_markdown
from governance.text_files import read_text_file

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext


class DocumentCache:
    """The parsed documents of one audit, by resolved path."""

    def __init__(self) -> None:
        self._parsed: dict[Path, MarkdownDocument] = {}
        self._croissant: dict[Path, CroissantDocument] = {}

    def markdown(self, path: Path) -> MarkdownDocument:
        key = path.resolve()
        if key not in self._parsed:
            self._parsed[key] = parse_markdown(read_text_file(path, "document"))
        return self._parsed[key]

    def croissant(self, path: Path) -> CroissantDocument:
        key = path.resolve()
        if key not in self._croissant:
            self._croissant[key] = read_croissant(path)
        return self._croissant[key]

    def close(self) -> None:
        self._parsed.clear()
        self._croissant.clear()


def audit_documents(context: CheckContext) -> DocumentCache:
    """The cache shared by every documentation rule of the audit `context` belongs to."""
    return context.resources.shared(DocumentCache, DocumentCache)
