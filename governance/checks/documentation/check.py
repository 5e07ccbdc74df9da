"""The documentation check: each required section present with real content, front matter
valid and holding the required fields, and a Croissant file's required RAI properties stated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from governance.checks.dataset_selection import select_datasets
from governance.checks.documentation.card_metadata import license_problem, validate_card_metadata
from governance.checks.documentation.content import content_words
from governance.checks.documentation.croissant import CroissantDocument
from governance.checks.documentation.document_cache import audit_documents
from governance.checks.documentation.evidence import (
    DocumentationEvidence,
    DocumentEvidence,
    SectionEvidence,
    SectionStatus,
)
from governance.checks.documentation.markdown_sections import MarkdownDocument, Section
from governance.checks.documentation.spec import DocumentationSpec, RequiredSection
from governance.checks.interface import CheckReport
from governance.checks.model.model_card import card_front_matter
from governance.errors import CheckSkipped
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

_WHAT = {
    "model_card": "model card",
    "datasheet": "datasheet",
    "croissant": "Croissant file",
    "technical_documentation": "technical documentation (nor model card)",
}
_PROBLEMS = {
    SectionStatus.MISSING: "is missing",
    SectionStatus.EMPTY: "is empty",
    SectionStatus.PLACEHOLDER: "holds only a placeholder",
}


class DocumentationCheck:
    def run(self, spec: DocumentationSpec, context: CheckContext) -> CheckReport:
        documents = _documents(spec, context)
        evidence: list[DocumentEvidence] = []
        findings: list[Finding] = []
        for name, dataset, path in documents:
            scope = FindingScope(document=name, dataset=dataset)
            if path is None:
                evidence.append(DocumentEvidence(document=name, path=None))
                what = _WHAT[spec.document]
                what += "" if dataset is None else f" for dataset '{dataset}'"
                findings.append(
                    Finding(message=f"no {what} is declared in the manifest", scope=scope)
                )
                continue
            shown = context.manifest.display_path(path)
            cache = audit_documents(context)
            if spec.document == "croissant":
                doc_evidence = _examine_croissant(spec, name, shown, cache.croissant(path))
                evidence.append(doc_evidence)
                findings.extend(_findings(doc_evidence, scope, shown, "property"))
                continue
            doc_evidence = _examine(spec, name, shown, cache.markdown(path))
            evidence.append(doc_evidence)
            findings.extend(_findings(doc_evidence, scope, shown, "section"))
            if spec.document == "model_card" and doc_evidence.front_matter_error is None:
                findings.extend(_card_metadata_findings(spec, path, scope, shown))
        return CheckReport(
            findings=tuple(findings), evidence=DocumentationEvidence(documents=tuple(evidence))
        )


def _documents(
    spec: DocumentationSpec, context: CheckContext
) -> list[tuple[str, str | None, Path | None]]:
    manifest = context.manifest.manifest
    if spec.document == "model_card":
        return [("model_card", None, manifest.model.card)]
    if spec.document == "technical_documentation":
        if manifest.model.technical_documentation is None:  # the model card stands in
            return [("technical_documentation", None, manifest.model.card)]
        return [("technical_documentation", None, manifest.model.technical_documentation)]
    names = select_datasets(spec.datasets, manifest.datasets)
    if not names:
        raise CheckSkipped(f"no dataset in the manifest matches {spec.datasets!r}")
    return [
        (f"{spec.document}:{name}", name, getattr(manifest.datasets[name], spec.document))
        for name in names
    ]


def _card_metadata_findings(
    spec: DocumentationSpec, card: Path, scope: FindingScope, shown: str
) -> list[Finding]:
    """Hugging Face's metadata spec: a malformed field is an input error; a licence that is
    no SPDX id fails a rule that requires the field."""
    front = card_front_matter(card)
    if front is None:
        return []
    validate_card_metadata(front)
    required = "license" in spec.required_fields
    problem = license_problem(front.data.get("license")) if required else None
    if problem is None:
        return []
    line = front.document.locate(("license",)).line
    return [Finding(message=problem, scope=scope, location=FindingLocation(path=shown, line=line))]


def _examine_croissant(
    spec: DocumentationSpec, name: str, shown: str, document: CroissantDocument
) -> DocumentEvidence:
    rows = []
    for required in spec.required_properties:
        found = document.rai(required)
        if found is None:
            rows.append(
                SectionEvidence(
                    required=required, status=SectionStatus.MISSING, min_words=spec.min_words
                )
            )
            continue
        words, placeholder = content_words("\n".join(found.texts()), spec.placeholders)
        status = (
            (SectionStatus.PLACEHOLDER if placeholder else SectionStatus.EMPTY)
            if words == 0
            else SectionStatus.TOO_SHORT
            if words < spec.min_words
            else SectionStatus.FOUND
        )
        rows.append(
            SectionEvidence(
                required=required,
                status=status,
                heading=found.pointer,
                line=found.line,
                words=words,
                min_words=spec.min_words,
            )
        )
    return DocumentEvidence(document=name, path=shown, sections=tuple(rows))


def _examine(
    spec: DocumentationSpec, name: str, shown: str, document: MarkdownDocument
) -> DocumentEvidence:
    sections = tuple(_section(spec, required, document) for required in spec.required_sections)
    fields = document.front_matter or {}
    missing = tuple(key for key in spec.required_fields if _blank(fields.get(key)))
    return DocumentEvidence(
        document=name,
        path=shown,
        sections=sections,
        required_fields=spec.required_fields,
        missing_fields=missing,
        front_matter_error=document.front_matter_error if spec.required_fields else None,
    )


def _section(
    spec: DocumentationSpec, required: RequiredSection, document: MarkdownDocument
) -> SectionEvidence:
    minimum = spec.min_words if required.min_words is None else required.min_words
    names = (required.name, *required.aliases)
    candidates = document.sections_matching(names)
    if not candidates:
        return SectionEvidence(
            required=required.name, status=SectionStatus.MISSING, min_words=minimum
        )
    measured = [(s, *content_words(s.body, spec.placeholders)) for s in candidates]
    section, words, placeholder = max(measured, key=lambda item: item[1])
    return SectionEvidence(
        required=required.name,
        status=_status(section, words, placeholder, minimum),
        heading=section.heading,
        line=section.line,
        words=words,
        min_words=minimum,
    )


def _status(section: Section, words: int, placeholder: bool, minimum: int) -> SectionStatus:
    if words == 0:
        return SectionStatus.PLACEHOLDER if placeholder else SectionStatus.EMPTY
    return SectionStatus.TOO_SHORT if words < minimum else SectionStatus.FOUND


def _findings(
    evidence: DocumentEvidence, scope: FindingScope, shown: str, noun: str
) -> list[Finding]:
    findings = []
    for section in evidence.sections:
        if section.status is SectionStatus.FOUND:
            continue
        if section.status is SectionStatus.TOO_SHORT:
            problem = f"has {section.words} words of content; at least {section.min_words} required"
        else:
            problem = _PROBLEMS[section.status]
        # The heading is named when it is not simply the required name (`4. Limitations`).
        named = section.heading and section.heading.casefold() != section.required.casefold()
        label = "at" if noun == "property" else "heading"
        where = f" ({label} '{section.heading}')" if named else ""
        findings.append(
            Finding(
                message=f"{noun} '{section.required}'{where} {problem}",
                scope=scope,
                subject=f"section:{section.required}",
                location=FindingLocation(path=shown, line=section.line),
            )
        )
    if evidence.front_matter_error:
        findings.append(
            Finding(
                message=evidence.front_matter_error,
                scope=scope,
                subject="front matter",
                location=FindingLocation(path=shown, line=1),
            )
        )
    findings.extend(
        Finding(
            message=f"front matter lacks required field '{key}'",
            scope=scope,
            subject=f"field:{key}",
            location=FindingLocation(path=shown, line=1),
        )
        for key in evidence.missing_fields
    )
    return findings


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and len(value) == 0)
