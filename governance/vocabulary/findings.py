"""A finding: one violation a check reports, with the scope a waiver can match."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.output_text import FileName, Identifier, QuotingText


class FindingScope(BaseModel, DocumentedFields):
    """What a finding concerns; a waiver's scope is matched against these fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dataset: Identifier | None = None
    column: Identifier | None = None
    group: Identifier | None = None
    document: Identifier | None = None


class FindingLocation(BaseModel, DocumentedFields):
    """The file (relative to the manifest) and line a finding points at, when known."""

    model_config = ConfigDict(frozen=True)

    path: FileName
    line: int | None = None


class Finding(BaseModel, DocumentedFields):
    """One violation. Its message never contains raw personal data."""

    model_config = ConfigDict(frozen=True)

    message: QuotingText
    scope: FindingScope = FindingScope()
    subject: Identifier | None = None
    """What within the scope the finding is about, when a scope can hold several: the entity
    type of a personal-data finding, the section or field of a document, the metric of a
    fairness or model finding, the problem of an artifact."""
    location: FindingLocation | None = None
    fingerprint: str | None = None
    """Stable across runs and machines: the rule, scope and subject as shown, hashed
    (`governance.vocabulary.fingerprints`); set for every finding of an audit."""
    waived_by: int | None = None
    """Index into `AuditResult.waivers.entries` of the waiver that covers this finding."""
