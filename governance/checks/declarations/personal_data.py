"""Declared personal data: what a dataset's Croissant file says in
`rai:personalSensitiveInformation`, and what its Markdown datasheet says in a section whose
heading names personal or sensitive data, against what the audit's pii rules found (their
evidence, which the engine hands to this check after running them, so the data is scanned
once)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from governance.checks.dataset_selection import select_datasets
from governance.checks.declarations.comparison import Comparison
from governance.checks.declarations.evidence import DeclaredPersonalData, FoundEntity
from governance.checks.declarations.personal_data_terms import read_declaration
from governance.checks.declarations.spec import DeclarationsSpec
from governance.checks.documentation.document_cache import audit_documents
from governance.checks.documentation.markdown_sections import Section
from governance.checks.pii.evidence import PiiEvidence
from governance.personal_data.entity_names import KNOWN_ENTITIES
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope
from governance.vocabulary.notes import Note, NoteKind

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

PERSONAL_DATA = "rai:personalSensitiveInformation"
_DATASHEET_HEADING = re.compile(r"\b(?:personal|sensitive|pii)\b", re.IGNORECASE)
"""A datasheet section whose heading matches declares the dataset's personal data."""


def compare_personal_data(spec: DeclarationsSpec, context: CheckContext) -> Comparison | str:
    """The comparison for every covered dataset with a Croissant file or a datasheet section on
    personal data, or why there is none."""
    datasets = context.manifest.manifest.datasets
    declaring = {
        name: _datasheet_section(name, context) for name in select_datasets(spec.datasets, datasets)
    }
    names = [
        name
        for name, section in declaring.items()
        if datasets[name].croissant is not None or section is not None
    ]
    if not names:
        return (
            "no covered dataset has a Croissant file or a datasheet section on personal data "
            "to compare with"
        )
    scans = [
        (m.rule_id, m.evidence) for m in context.measured if isinstance(m.evidence, PiiEvidence)
    ]
    if not scans:
        return "no pii rule of the audit measured the data to compare with"
    compared: list[DeclaredPersonalData] = []
    notes: list[Note] = []
    for name in names:
        items = _declarations(name, context, scans, declaring[name])
        if not items:
            notes.append(
                Note(
                    kind=NoteKind.DATA,
                    text=f"the Croissant file of dataset '{name}' has no {PERSONAL_DATA}",
                )
            )
        for item in items:
            compared.append(item)
            notes.extend(_unseen(item))
    return Comparison(
        findings=tuple(f for item in compared for f in _findings(item)),
        notes=tuple(notes),
        personal_data=tuple(compared),
    )


def _datasheet_section(name: str, context: CheckContext) -> Section | None:
    """The first section of the dataset's datasheet whose heading names personal data."""
    path = context.manifest.manifest.datasets[name].datasheet
    if path is None:
        return None
    sections = audit_documents(context).markdown(path).sections
    return next((s for s in sections if _DATASHEET_HEADING.search(s.heading)), None)


def _declarations(
    name: str,
    context: CheckContext,
    scans: list[tuple[str, PiiEvidence]],
    section: Section | None,
) -> list[DeclaredPersonalData]:
    """Each declaration of the dataset (its Croissant property, its datasheet section),
    compared with what the scans found in it."""
    dataset = context.manifest.manifest.datasets[name]
    items = []
    if dataset.croissant is not None:
        declaration = audit_documents(context).croissant(dataset.croissant).rai(PERSONAL_DATA)
        if declaration is not None:
            items.append(
                _compare(
                    name,
                    scans,
                    "\n".join(declaration.texts()),
                    document="croissant",
                    path=context.manifest.display_path(dataset.croissant),
                    pointer=declaration.pointer,
                    line=declaration.line,
                )
            )
    if section is not None and dataset.datasheet is not None:
        items.append(
            _compare(
                name,
                scans,
                section.body,
                document="datasheet",
                path=context.manifest.display_path(dataset.datasheet),
                pointer=f"section '{section.heading}'",
                line=section.line,
            )
        )
    return items


def _compare(
    name: str,
    scans: list[tuple[str, PiiEvidence]],
    text: str,
    *,
    document: Literal["croissant", "datasheet"],
    path: str,
    pointer: str,
    line: int,
) -> DeclaredPersonalData:
    read = read_declaration(text, KNOWN_ENTITIES)
    found = tuple(
        FoundEntity(
            entity=stats.entity,
            column=column.column,
            hits=stats.hits,
            scanned=stats.scanned,
            rule=rule_id,
        )
        for rule_id, evidence in scans
        for column in evidence.columns
        if column.dataset == name
        for stats in column.found
        if stats.hits > 0
    )
    scanned = {
        entity
        for _, evidence in scans
        if any(summary.dataset == name for summary in evidence.datasets)
        for entity in evidence.entities
    }
    return DeclaredPersonalData(
        dataset=name,
        document=document,
        path=path,
        pointer=pointer,
        line=line,
        denies=read.denies,
        declared=tuple(sorted(read.entities)),
        found=found,
        scanned_entities=tuple(sorted(scanned)),
    )


def _findings(item: DeclaredPersonalData) -> list[Finding]:
    """One finding per declaration, naming each entity found that it denies or leaves out."""
    undeclared = [e for e in dict.fromkeys(f.entity for f in item.found) if e not in item.declared]
    if not undeclared:
        return []
    said = (
        "declares no personal data" if item.denies else f"does not declare {', '.join(undeclared)}"
    )
    measured = ", ".join(
        f"{entity} in " + _columns([f for f in item.found if f.entity == entity], first=i == 0)
        for i, entity in enumerate(undeclared)
    )
    return [
        Finding(
            message=f"{_declaring(item)} {said}, but the scan found {measured}",
            scope=FindingScope(dataset=item.dataset),
            # a dataset may declare in both documents: each finding is told apart by its own
            subject=None if item.document == "croissant" else f"datasheet:{item.pointer}",
            location=FindingLocation(path=item.path, line=item.line),
        )
    ]


def _declaring(item: DeclaredPersonalData) -> str:
    """The declaration as a finding names it: its JSON pointer, or the datasheet's section."""
    return item.pointer if item.document == "croissant" else f"the datasheet's {item.pointer}"


def _columns(found: list[FoundEntity], *, first: bool) -> str:
    """`'a' (h of n distinct values) and 'b' (h of n)`, each column once (several pii rules
    may scan the same one; the evidence names each rule); the unit is said once."""
    columns = list({f.column: f for f in reversed(found)}.values())[::-1]
    return " and ".join(
        f"'{f.column}' ({f.hits:,} of {f.scanned:,}"
        + (" distinct values)" if first and i == 0 else ")")
        for i, f in enumerate(columns)
    )


def _unseen(item: DeclaredPersonalData) -> list[Note]:
    found = {f.entity for f in item.found}
    notes = []
    for entity in item.declared:
        if entity in found:
            continue
        why = (
            "which the pii rules found in no column"
            if entity in item.scanned_entities
            else "which no pii rule of the audit looks for"
        )
        where = (
            f"{PERSONAL_DATA} ({item.path}#{item.pointer})"
            if item.document == "croissant"
            else f"{_declaring(item)} ({item.path})"
        )
        notes.append(
            Note(
                kind=NoteKind.DATA,
                text=f"{where} of dataset '{item.dataset}' declares {entity}, {why}",
            )
        )
    return notes
