"""The documentation check: each required section present with real content, and front matter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from governance.checks.dataset_selection import select_datasets
from governance.checks.documentation.content import content_words
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
from governance.errors import CheckSkipped
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

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
                what = "model card" if dataset is None else f"datasheet for dataset '{dataset}'"
                findings.append(
                    Finding(message=f"no {what} is declared in the manifest", scope=scope)
                )
                continue
            shown = context.manifest.display_path(path)
            doc_evidence = _examine(spec, name, shown, audit_documents(context).markdown(path))
            evidence.append(doc_evidence)
            findings.extend(_findings(doc_evidence, scope, shown))
        return CheckReport(
            findings=tuple(findings), evidence=DocumentationEvidence(documents=tuple(evidence))
        )


def _documents(
    spec: DocumentationSpec, context: CheckContext
) -> list[tuple[str, str | None, Path | None]]:
    manifest = context.manifest.manifest
    if spec.document == "model_card":
        return [("model_card", None, manifest.model.card)]
    names = select_datasets(spec.datasets, manifest.datasets)
    if not names:
        raise CheckSkipped(f"no dataset in the manifest matches {spec.datasets!r}")
    return [(f"datasheet:{name}", name, manifest.datasets[name].datasheet) for name in names]


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


def _findings(evidence: DocumentEvidence, scope: FindingScope, shown: str) -> list[Finding]:
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
        where = f" (heading '{section.heading}')" if named else ""
        findings.append(
            Finding(
                message=f"section '{section.required}'{where} {problem}",
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
