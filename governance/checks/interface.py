"""What a check is: given its rule's spec and a context, it returns a report. Nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from governance.checks.evidence import Evidence
from governance.vocabulary.findings import Finding

if TYPE_CHECKING:
    from governance.checks.context import CheckContext

SpecT = TypeVar("SpecT", contravariant=True)


class CheckReport(BaseModel):
    """What one check found: the violations (an empty tuple means passed) and its evidence."""

    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...]
    evidence: Evidence


class Check(Protocol[SpecT]):
    """A check kind. It never prints, writes files or reads the CLI; it may raise
    `CheckSkipped` when the rule does not apply, or `InputError` for the user's mistakes."""

    def run(self, spec: SpecT, context: CheckContext) -> CheckReport: ...
