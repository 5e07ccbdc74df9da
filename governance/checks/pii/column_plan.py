"""Planning a dataset's scan: which columns are scanned, and what is known of each before."""

from __future__ import annotations

from dataclasses import dataclass

from governance.checks.pii.column_context import ColumnFacts, column_facts
from governance.checks.pii.column_selection import select_columns
from governance.checks.pii.data_types import type_note
from governance.checks.pii.evidence import ColumnEvidence, ColumnStatus, DatasetSummary
from governance.checks.pii.false_positives import needs_scan
from governance.checks.pii.spec import PiiSpec
from governance.checks.pii.special_categories import special_category
from governance.data.column_types import is_boolean, is_numeric
from governance.data.engine import ColumnProfile, DataEngine


@dataclass(frozen=True)
class ScanJob:
    """One column to scan."""

    index: int
    dataset: str
    profile: ColumnProfile
    facts: ColumnFacts
    evidence: ColumnEvidence
    """Everything but the scan results."""


def plan_dataset(
    spec: PiiSpec, data: DataEngine, name: str, first_job: int
) -> tuple[DatasetSummary, list[ScanJob | ColumnEvidence], set[str]]:
    """The dataset's summary, a job or a finished evidence per selected column, and the column
    patterns that matched. Jobs are numbered from `first_job`."""
    all_columns = data.columns(name)
    selected, matched = select_columns(all_columns, spec.column_patterns(), spec.exclude_columns)
    rows = data.row_count(name)
    summary = DatasetSummary(
        dataset=name,
        rows=rows,
        columns=len(all_columns),
        selected_columns=len(selected),
        notes=("the dataset has no rows: nothing to scan",) if rows == 0 else (),
    )
    if not selected:  # an empty dataset's columns are still judged by their names
        return summary, [], set(matched)
    profiles = data.profile_columns(name, selected, spec.max_value_length)
    declared = data.spec(name)
    planned: list[ScanJob | ColumnEvidence] = []
    next_job = first_job
    for column in selected:
        profile = profiles[column]
        category = special_category(column) if spec.special_categories else None
        is_declared = column in declared.sensitive_columns or column in declared.pii_columns
        evidence = ColumnEvidence(
            dataset=name,
            column=column,
            data_type=profile.data_type,
            status=ColumnStatus.SCANNED,
            non_null=profile.non_null,
            too_long=profile.too_long,
            special_category=category,
            special_category_declared=category is not None and is_declared,
            notes=_notes(profile, spec),
        )
        facts = column_facts(column, is_numeric(profile.data_type), spec.entities)
        status = _skip_status(spec, profile, facts)
        if status is None:
            planned.append(ScanJob(next_job, name, profile, facts, evidence))
            next_job += 1
        else:
            planned.append(evidence.model_copy(update={"status": status}))
    return summary, planned, set(matched)


def _skip_status(spec: PiiSpec, profile: ColumnProfile, facts: ColumnFacts) -> ColumnStatus | None:
    """Why a column is not scanned, or None when it is."""
    if not spec.entities:
        return ColumnStatus.NAMES_ONLY
    if profile.non_null == 0:
        return ColumnStatus.EMPTY
    if is_boolean(profile.data_type):
        return ColumnStatus.NOT_SCANNED_BOOLEAN
    if not needs_scan(facts, spec.entities):
        if facts.numeric:
            return ColumnStatus.NOT_SCANNED_NUMERIC
        return ColumnStatus.NOT_SCANNED_NAME_REQUIRED
    return None


def _notes(profile: ColumnProfile, spec: PiiSpec) -> tuple[str, ...]:
    notes = [type_note(profile.data_type)]
    if profile.too_long:
        notes.append(
            f"{profile.too_long:,} value(s) longer than {spec.max_value_length:,} characters "
            "were cut to that length before scanning"
        )
    return tuple(n for n in notes if n)
