"""What one comparison of declarations with measurements gives the declarations check."""

from __future__ import annotations

from dataclasses import dataclass

from governance.checks.declarations.evidence import (
    DeclaredFairness,
    DeclaredPersonalData,
    DeclaredTrainingData,
)
from governance.vocabulary.findings import Finding
from governance.vocabulary.notes import Note


@dataclass(frozen=True)
class Comparison:
    findings: tuple[Finding, ...] = ()
    notes: tuple[Note, ...] = ()
    personal_data: tuple[DeclaredPersonalData, ...] = ()
    fairness: DeclaredFairness | None = None
    training: DeclaredTrainingData | None = None
