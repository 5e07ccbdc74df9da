"""The notes shown beside a fairness rule's outcome: what its verdict leaves out or assumes.
Each group left out of a comparison is named with its rows, rate and the reason (an auditor
must see a hidden group wherever the verdict is read, the console included); then the data
warnings, the columns read through the manifest's mapping, and once per rule which features
had no unknown value (rather than an empty unknown row in every table)."""

from __future__ import annotations

from governance.checks.fairness.evidence import (
    FairnessEvidence,
    GroupRate,
    GroupStatus,
    RateComparison,
)
from governance.checks.fairness.metrics import LABELS
from governance.vocabulary.notes import Note, NoteKind


def fairness_notes(evidence: FairnessEvidence) -> tuple[Note, ...]:
    notes = [
        Note(kind=NoteKind.NOT_COMPARED, text=_excluded(comparison, feature_set.label))
        for feature_set in evidence.feature_sets
        for comparison in feature_set.rates
        if any(g.status is GroupStatus.EXCLUDED for g in comparison.groups)
    ]
    notes += [Note(kind=NoteKind.DATA, text=warning) for warning in evidence.warnings]
    if evidence.mapped_features:
        mapped = "; ".join(f"{role} from {column}" for role, column in evidence.mapped_features)
        text = f"sensitive features read from the columns the manifest maps: {mapped}"
        notes.append(Note(kind=NoteKind.DATA, text=text))
    known = [
        feature
        for feature_set in evidence.feature_sets
        if not feature_set.unknown_rows
        for feature in feature_set.features
    ]
    if known:
        listed = ", ".join(dict.fromkeys(known))
        text = f"no row has a missing or unknown value of {listed}"
        notes.append(Note(kind=NoteKind.DATA, text=text))
    return tuple(notes)


def _excluded(comparison: RateComparison, feature_set: str) -> str:
    groups = [g for g in comparison.groups if g.status is GroupStatus.EXCLUDED]
    listed = "; ".join(_group(group) for group in groups)
    plural = "s" * (len(groups) != 1)
    return (
        f"{len(groups)} group{plural} not compared in the {LABELS[comparison.metric]} by "
        f"{feature_set}: {listed}"
    )


def _group(group: GroupRate) -> str:
    rate = "undefined" if group.rate is None else f"{group.rate:.4g}"
    return (
        f"{group.group} ({group.rows} rows, rate {rate} = {group.successes}/{group.trials}: "
        f"{group.exclusion})"
    )
