"""What the declarations check compared, per dataset: the declaration and the measurement."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.evidence_table import Cell, EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import FileName, Identifier


class FoundEntity(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    entity: str
    column: Identifier
    hits: int
    scanned: int
    rule: Identifier
    """The pii rule that found it."""


class DeclaredPersonalData(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    dataset: Identifier
    document: Literal["croissant", "datasheet"] = "croissant"
    """Where the dataset declares its personal data: its Croissant file's
    `rai:personalSensitiveInformation`, or a section of its datasheet whose heading names
    personal or sensitive data."""
    path: FileName
    """The Croissant file or the datasheet, relative to the manifest."""
    pointer: Identifier
    """The declaration in the file: its JSON pointer, or the datasheet's section (`section
    'Personal data'`)."""
    line: int
    denies: bool
    """The declaration says the dataset holds no personal data."""
    declared: tuple[str, ...]
    """The entities the declaration names."""
    found: tuple[FoundEntity, ...]
    scanned_entities: tuple[str, ...]
    """Every entity the pii rules looked for in the dataset."""


class StatedAttribute(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    attribute: str
    """The group attribute a sentence of the card names (`sex`, `race`, `disability`...)."""
    line: int
    audited_by: tuple[Identifier, ...]
    """The measured sensitive features that stand for it; empty when none does."""


class DeclaredFairness(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    path: FileName
    """The model card, relative to the manifest."""
    stated: tuple[StatedAttribute, ...]
    audited: tuple[Identifier, ...]
    """Every sensitive feature the fairness rules measured."""


class CardDataset(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    id: Identifier
    """A dataset id the model card's front matter `datasets` names."""
    line: int
    dataset: Identifier | None
    """The manifest's dataset of that id (or name), when it declares one."""
    role: Literal["evaluation", "training"] | None
    """That dataset's role in the manifest."""


class TrainingDataset(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    dataset: Identifier
    """The manifest's name of a dataset with `role: training`."""
    id: Identifier
    """Its published id (its `id`, else its name)."""
    line: int
    """Where the manifest declares it."""
    rows: int


class StatedSize(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    rows: int
    unit: str
    """The word the card counts in (`rows`, `examples`, `applications`...)."""
    line: int


class DeclaredTrainingData(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    path: FileName
    """The model card, relative to the manifest."""
    manifest: FileName
    named: tuple[CardDataset, ...]
    """The datasets the card's front matter names."""
    training: tuple[TrainingDataset, ...]
    """The manifest's training datasets, with the rows the audit counted."""
    stated: tuple[StatedSize, ...]
    """The training data sizes the card's training data section states."""


class DeclarationsEvidence(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    kind: Literal["declarations"] = "declarations"
    datasets: tuple[DeclaredPersonalData, ...]
    fairness: DeclaredFairness | None = None
    training: DeclaredTrainingData | None = None

    def tables(self) -> tuple[EvidenceTable, ...]:
        tables = []
        for item in self.datasets:
            entities = sorted({*item.declared, *(found.entity for found in item.found)})
            rows: tuple[tuple[Cell, ...], ...] = tuple(
                (
                    entity,
                    "yes" if entity in item.declared else ("denied" if item.denies else "no"),
                    ", ".join(f.column for f in item.found if f.entity == entity) or None,
                    sum(f.hits for f in item.found if f.entity == entity),
                )
                for entity in entities
            )
            tables.append(
                EvidenceTable(
                    title=f"declared personal data: {item.dataset} ({item.path}#{item.pointer})",
                    columns=("entity", "declared", "found in columns", "hits"),
                    rows=rows,
                )
            )
        if self.fairness is not None:
            tables.append(
                EvidenceTable(
                    title=f"fairness evaluation stated in {self.fairness.path}",
                    columns=("attribute", "line", "measured as"),
                    rows=tuple(
                        (s.attribute, s.line, ", ".join(s.audited_by) or "not measured")
                        for s in self.fairness.stated
                    ),
                )
            )
        if self.training is not None:
            tables.extend(_training_tables(self.training))
        return tuple(tables)

    def charts(self) -> tuple[EvidenceChart, ...]:
        return ()


def _training_tables(training: DeclaredTrainingData) -> tuple[EvidenceTable, ...]:
    rows_of = {t.dataset: t.rows for t in training.training}
    named = {n.dataset for n in training.named}
    rows: tuple[tuple[Cell, ...], ...] = (
        *(
            (
                n.id,
                n.line,
                "not declared" if n.dataset is None else f"{n.dataset} ({n.role})",
                rows_of.get(n.dataset) if n.dataset is not None else None,
            )
            for n in training.named
        ),
        *(
            (t.id, "not named", f"{t.dataset} (training)", t.rows)
            for t in training.training
            if t.dataset not in named
        ),
    )
    tables = [
        EvidenceTable(
            title=f"training datasets named in {training.path} and declared in {training.manifest}",
            columns=("dataset id", "card line", "manifest dataset", "rows"),
            rows=rows,
        )
    ]
    if training.stated:
        total = sum(rows_of.values())
        tables.append(
            EvidenceTable(
                title=f"training data size stated in {training.path}",
                columns=("stated", "line", "training rows"),
                rows=tuple((f"{s.rows:,} {s.unit}", s.line, total) for s in training.stated),
            )
        )
    return tuple(tables)
