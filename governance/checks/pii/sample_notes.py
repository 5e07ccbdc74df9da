"""The note beside a PII rule's outcome when some column was judged on a sample of its
distinct values: a clean sample bounds what the rest may hold, it does not rule it out."""

from __future__ import annotations

from governance.checks.pii.evidence import ColumnStatus, PiiEvidence
from governance.vocabulary.notes import Note, NoteKind


def sample_notes(evidence: PiiEvidence) -> tuple[Note, ...]:
    scanned = [c for c in evidence.columns if c.status is ColumnStatus.SCANNED]
    sampled = [c for c in scanned if c.bound_if_none is not None]
    if not sampled:
        return ()
    analysed = sorted({c.scanned for c in sampled})
    count = f"{analysed[0]:,}" if len(analysed) == 1 else f"{analysed[0]:,} to {analysed[-1]:,}"
    bound = max(c.bound_if_none or 0.0 for c in sampled)
    text = (
        f"judged on a sample: {len(sampled)} of {len(scanned)} columns had only {count} of "
        f"their distinct values analysed; an entity found in none may still be in up to "
        f"{bound:.2%} of a column's distinct values (95% bound); `mode: exhaustive` analyses "
        "all"
    )
    return (Note(kind=NoteKind.SAMPLED, text=text),)
