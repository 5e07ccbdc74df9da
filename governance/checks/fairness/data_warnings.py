"""Warnings about the data that do not stop the check but change what its numbers mean."""

from __future__ import annotations

from governance.checks.fairness.counts import MISSING_VALUE, DatasetCounts
from governance.checks.fairness.evidence import FeatureSetEvidence, GroupStatus
from governance.checks.fairness.outcome_columns import OutcomeColumns


def data_warnings(
    counts: DatasetCounts, outcomes: OutcomeColumns, sets: tuple[FeatureSetEvidence, ...]
) -> tuple[str, ...]:
    warnings = []
    overall = counts.overall
    if outcomes.selects and overall.with_selection:
        if overall.selected == 0:
            warnings.append(
                "every selection is negative: selection rates are all 0, so impact ratios are "
                "undefined"
            )
        elif overall.selected == overall.with_selection:
            warnings.append("every selection is positive: selection rates are all 1")
    if outcomes.label is not None and overall.tp + overall.fn in (0, overall.with_selection):
        warnings.append("the label has a single value: some error rates are undefined")
    if overall.outcome_missing:
        warnings.append(
            f"{overall.outcome_missing} rows without {_needed(outcomes)} are left out of "
            "every rate" + (" and of the median score" if outcomes.scoring else "")
        )
    for feature_set in sets:
        known = sum(
            group.status in (GroupStatus.COMPARED, GroupStatus.EXCLUDED)
            for group in feature_set.rates[0].groups
        )
        if known < 2:
            warnings.append(
                f"'{feature_set.label}' has {known} known group{'s' * (known != 1)}: "
                "nothing to compare"
            )
        if feature_set.unknown_rows:
            values = ", ".join(
                value if value == MISSING_VALUE else f"'{value}'"
                for value in feature_set.unknown_values
            )
            warnings.append(
                f"{feature_set.unknown_rows} rows have a missing or unknown "
                f"{feature_set.label} (taken as unknown: {values}): counted, not compared"
            )
    return tuple(warnings)


def _needed(outcomes: OutcomeColumns) -> str:
    """The outcomes a row must have, as words: 'a label or selection'."""
    needed = [
        *(["label"] if outcomes.label is not None else []),
        *(["selection"] if outcomes.selects else []),
        *(["finite score"] if outcomes.scoring else []),
    ]
    return "a " + (", ".join(needed[:-1]) + " or " if len(needed) > 1 else "") + needed[-1]
