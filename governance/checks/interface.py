"""What a check is: given its rule's spec and a context, it returns a report. Nothing else.

The three halves of the contract are written here: the spec a rule's check block parses into,
the evidence a check records, and the check itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:  # annotations only: reading a policy's specs builds no evidence model
    from governance.checks.context import CheckContext
    from governance.vocabulary.evidence_table import EvidenceChart, EvidenceTable
    from governance.vocabulary.findings import Finding
    from governance.vocabulary.notes import Note

SpecT = TypeVar("SpecT", contravariant=True)


class CheckSpec(Protocol):
    """A rule's check block as parsed from YAML: a frozen pydantic model whose `kind` field
    (a literal, the block's YAML key) tags it in the union of every kind's spec."""

    @property
    def kind(self) -> str: ...

    @property
    def gates(self) -> bool:
        """Whether the block sets any threshold, so that the rule can fail. A rule whose
        block sets none only reports its figures: its outcome is *reported*, never *passed*."""
        ...

    def referenced_datasets(self) -> tuple[str, ...]:
        """The datasets the block names explicitly (not through a pattern), which the manifest
        must declare."""
        ...

    def failure_conditions(self) -> tuple[str, ...]:
        """What makes the rule fail, one sentence each, in the terms of its settings (for
        `governance explain`)."""
        ...


class CheckEvidence(Protocol):
    """What a check recorded: a frozen pydantic model tagged by `kind`, shown in reports as
    tables and charts."""

    @property
    def kind(self) -> str: ...

    def tables(self) -> tuple[EvidenceTable, ...]: ...

    def charts(self) -> tuple[EvidenceChart, ...]: ...


@dataclass(frozen=True)
class CheckReport:
    """What one check found: the violations (an empty tuple means passed) and its evidence."""

    findings: tuple[Finding, ...]
    evidence: CheckEvidence
    notes: tuple[Note, ...] = ()
    """Sentences every format shows beside the outcome: what the verdict leaves out or
    assumes (a group not compared, values taken as unknown)."""


class Check(Protocol[SpecT]):
    """A check kind. It never prints, writes files or reads the CLI; it may raise
    `CheckSkipped` when the rule does not apply, `CheckCannotRun` when it cannot run, or
    `InputError` for the user's mistakes."""

    def run(self, spec: SpecT, context: CheckContext) -> CheckReport: ...
