"""Declared personal data: what a dataset's Croissant file says in
`rai:personalSensitiveInformation`, against what the audit's pii rules found (their evidence,
which the engine hands to this check after running them, so the data is scanned once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.checks.dataset_selection import select_datasets
from governance.checks.declarations.comparison import Comparison
from governance.checks.declarations.evidence import DeclaredPersonalData, FoundEntity
from governance.checks.declarations.personal_data_terms import read_declaration
from governance.checks.declarations.spec import DeclarationsSpec
from governance.checks.documentation.document_cache import audit_documents
from governance.checks.pii.evidence import PiiEvidence
from governance.personal_data.entity_names import KNOWN_ENTITIES
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope
from governance.vocabulary.notes import Note, NoteKind

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

PERSONAL_DATA = "rai:personalSensitiveInformation"


def compare_personal_data(spec: DeclarationsSpec, context: CheckContext) -> Comparison | str:
    """The comparison for every covered dataset with a Croissant file, or why there is none."""
    datasets = context.manifest.manifest.datasets
    names = [
        name
        for name in select_datasets(spec.datasets, datasets)
        if datasets[name].croissant is not None
    ]
    if not names:
        return "no covered dataset has a Croissant file to compare with"
    scans = [
        (m.rule_id, m.evidence) for m in context.measured if isinstance(m.evidence, PiiEvidence)
    ]
    if not scans:
        return "no pii rule of the audit measured the data to compare with"
    compared: list[DeclaredPersonalData] = []
    notes: list[Note] = []
    for name in names:
        item = _compare(name, context, scans)
        if item is None:
            notes.append(
                Note(
                    kind=NoteKind.DATA,
                    text=f"the Croissant file of dataset '{name}' has no {PERSONAL_DATA}",
                )
            )
        else:
            compared.append(item)
            notes.extend(_unseen(item))
    return Comparison(
        findings=tuple(f for item in compared for f in _findings(item)),
        notes=tuple(notes),
        personal_data=tuple(compared),
    )


def _compare(
    name: str, context: CheckContext, scans: list[tuple[str, PiiEvidence]]
) -> DeclaredPersonalData | None:
    path = context.manifest.manifest.datasets[name].croissant
    assert path is not None  # the datasets compared are those with a Croissant file
    declaration = audit_documents(context).croissant(path).rai(PERSONAL_DATA)
    if declaration is None:
        return None
    read = read_declaration("\n".join(declaration.texts()), KNOWN_ENTITIES)
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
        path=context.manifest.display_path(path),
        pointer=declaration.pointer,
        line=declaration.line,
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
            message=f"{item.pointer} {said}, but the scan found {measured}",
            scope=FindingScope(dataset=item.dataset),
            location=FindingLocation(path=item.path, line=item.line),
        )
    ]


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
        notes.append(
            Note(
                kind=NoteKind.DATA,
                text=f"{PERSONAL_DATA} ({item.path}#{item.pointer}) of dataset "
                f"'{item.dataset}' declares {entity}, {why}",
            )
        )
    return notes
