"""What a check may use: the manifest, the datasets (read once) and resources shared by the
audit's rules (a scanner's process pool, a check's parsed documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from governance.checks.audit_resources import AuditResources
from governance.checks.interface import CheckEvidence
from governance.manifest import LoadedManifest

if TYPE_CHECKING:  # the data engine is built by the audit, not here
    from governance.data.engine import DataEngine


@dataclass(frozen=True)
class Measured:
    """What one rule of the audit measured: its evidence."""

    rule_id: str
    evidence: CheckEvidence


@dataclass(frozen=True)
class CheckContext:
    manifest: LoadedManifest
    data: DataEngine
    resources: AuditResources = field(default_factory=AuditResources)
    """Built once per audit, shared by rules, closed when the audit ends."""
    nlp_model: str | None = None
    """The spaCy model the PII scanner may use (`--nlp-model`, else the manifest's)."""
    measured: tuple[Measured, ...] = ()
    """For the kinds that compare what documents declare with what the audit measured: the
    evidence of every other rule, which the engine runs first (empty for the others)."""
