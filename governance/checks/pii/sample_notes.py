"""The notes beside a PII rule's outcome when it was judged on part of the values: a sample of
a column's distinct values (a clean sample bounds what the rest may hold, it does not rule it
out), or values cut to `max_value_length` characters (the rest of them was not analysed)."""

from __future__ import annotations

from governance.checks.pii.evidence import ColumnEvidence, ColumnStatus, PiiEvidence
from governance.vocabulary.notes import Note, NoteKind


def sample_notes(evidence: PiiEvidence) -> tuple[Note, ...]:
    scanned = [c for c in evidence.columns if c.status is ColumnStatus.SCANNED]
    return tuple(
        Note(kind=NoteKind.SAMPLED, text=text)
        for text in (_sampled(scanned), _cut(scanned, evidence.max_value_length))
        if text
    )


def _cut(scanned: list[ColumnEvidence], length: int) -> str | None:
    cut = [c for c in scanned if c.too_long]
    if not cut:
        return None
    values = sum(c.too_long for c in cut)
    return (
        f"judged on the first {length:,} characters of each value: {values:,} longer "
        f"value(s) in {len(cut)} of {len(scanned)} columns were not analysed past that"
    )


def _sampled(scanned: list[ColumnEvidence]) -> str | None:
    sampled = [c for c in scanned if c.bound_if_none is not None]
    if not sampled:
        return None
    analysed = sorted({c.scanned for c in sampled})
    count = f"{analysed[0]:,}" if len(analysed) == 1 else f"{analysed[0]:,} to {analysed[-1]:,}"
    bound = max(c.bound_if_none or 0.0 for c in sampled)
    return (
        f"judged on a sample: {len(sampled)} of {len(scanned)} columns had only {count} of "
        f"their distinct values analysed; an entity found in none may still be in up to "
        f"{bound:.2%} of a column's distinct values (95% bound); `mode: exhaustive` analyses "
        "all"
    )
