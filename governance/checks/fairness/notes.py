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
from governance.checks.fairness.spec import Compare
from governance.checks.fairness.thresholds import SIGNIFICANT_WITHIN
from governance.vocabulary.notes import Note, NoteKind


def fairness_notes(evidence: FairnessEvidence) -> tuple[Note, ...]:
    notes = [
        Note(kind=NoteKind.NOT_COMPARED, text=_excluded(comparison, feature_set.label))
        for feature_set in evidence.feature_sets
        for comparison in feature_set.rates
        if any(g.status is GroupStatus.EXCLUDED for g in comparison.groups)
    ]
    notes += [
        Note(kind=NoteKind.DATA, text=_significant_within(comparison, evidence))
        for feature_set in evidence.feature_sets
        for comparison in feature_set.rates
        if _within_but_significant(comparison)
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


def _within_but_significant(comparison: RateComparison) -> list[GroupRate]:
    return [
        g
        for g in comparison.groups
        if not g.failing and g.note is not None and g.note.startswith(SIGNIFICANT_WITHIN)
    ]


def _significant_within(comparison: RateComparison, evidence: FairnessEvidence) -> str:
    """Groups a rule requiring significance passes although they differ significantly: a
    four-fifths rule is a rule of thumb, and 29 CFR 1607.4(D) may count these too."""
    groups = _within_but_significant(comparison)
    listed = "; ".join(
        f"{g.group} ({_compared_name(evidence)} {g.compared:.3g}, p = {g.p_value:.3g})"
        for g in groups
    )
    plural = "s" * (len(groups) != 1)
    return (
        f"{len(groups)} group{plural} within the threshold but significantly different from "
        f"{comparison.compared_to}, which the threshold does not judge: {listed}"
    )


def _compared_name(evidence: FairnessEvidence) -> str:
    if evidence.compare is Compare.RATIO_TO_MAX:
        return "impact ratio"
    against = "reference" if evidence.compare is Compare.TO_REFERENCE else "overall"
    return f"{evidence.measure} to {against}"


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
