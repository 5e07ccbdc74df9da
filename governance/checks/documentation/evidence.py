"""What the documentation check saw in each document."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.evidence_table import Cell, EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import FileName, Identifier, Prose, QuotingText


class SectionStatus(StrEnum):
    FOUND = "found"
    MISSING = "missing"
    EMPTY = "empty"
    PLACEHOLDER = "placeholder"
    TOO_SHORT = "too_short"


class SectionEvidence(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    required: Prose
    status: SectionStatus
    heading: Identifier | None = None
    line: int | None = None
    words: int = 0
    min_words: int = 0


class DocumentEvidence(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    document: Identifier
    """`model_card`, or `datasheet:<dataset>`."""
    path: FileName | None
    """Relative to the manifest; None when the manifest declares no such document."""
    sections: tuple[SectionEvidence, ...] = ()
    required_fields: tuple[str, ...] = ()
    missing_fields: tuple[str, ...] = ()
    front_matter_error: QuotingText | None = None


class DocumentationEvidence(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    kind: Literal["documentation"] = "documentation"
    documents: tuple[DocumentEvidence, ...]

    def tables(self) -> tuple[EvidenceTable, ...]:
        tables = []
        for doc in self.documents:
            rows: tuple[tuple[Cell, ...], ...] = tuple(
                (s.required, s.status.value, s.heading, s.line, s.words, s.min_words)
                for s in doc.sections
            )
            rows += tuple(
                (
                    f"front matter: {name}",
                    "missing" if name in doc.missing_fields else "found",
                    None,
                    None,
                    None,
                    None,
                )
                for name in doc.required_fields
            )
            title = f"{doc.document} ({doc.path})" if doc.path else f"{doc.document} (not declared)"
            tables.append(
                EvidenceTable(
                    title=title,
                    columns=("required", "status", "heading", "line", "words", "min words"),
                    rows=rows,
                )
            )
        return tuple(tables)

    def charts(self) -> tuple[EvidenceChart, ...]:
        return ()
