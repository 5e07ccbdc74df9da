"""The sentences a pii finding says: counts, rates and masked examples, never a raw value."""

from __future__ import annotations

from governance.checks.pii.evidence import ColumnEvidence, EntityStatistics
from governance.vocabulary.findings import Finding, FindingScope


def entity_finding(column: ColumnEvidence, stats: EntityStatistics) -> Finding:
    where = f"column '{column.column}' of dataset '{column.dataset}'"
    if column.complete:
        how_many = f"{stats.hits:,} of its {stats.scanned:,} distinct values"
        rate = f"{stats.hit_rate:.1%}, every distinct value scanned"
    else:
        how_many = f"{stats.hits:,} of {stats.scanned:,} sampled distinct values"
        bound = stats.upper_bound or 0.0
        rate = f"{stats.hit_rate:.1%}; up to {bound:.1%} of all its values at 95% confidence"
    examples = f", e.g. {', '.join(stats.examples)}" if stats.examples else ""
    return Finding(
        message=f"{where} holds {stats.entity} in {how_many} ({rate}){examples}",
        scope=FindingScope(dataset=column.dataset, column=column.column),
        subject=stats.entity,
    )


def special_category_finding(column: ColumnEvidence) -> Finding:
    return Finding(
        message=(
            f"column '{column.column}' of dataset '{column.dataset}' looks like "
            f"{column.special_category} (GDPR Art. 9 special category) and is not declared "
            "in the manifest: review its lawful basis, then declare it"
        ),
        scope=FindingScope(dataset=column.dataset, column=column.column),
        subject="special category",
    )


def unmatched_pattern_finding(pattern: str, datasets: tuple[str, ...]) -> Finding:
    return Finding(
        message=(
            f"column pattern '{pattern}' matches no column in {', '.join(datasets)}; "
            "nothing was scanned for it"
        ),
        scope=FindingScope(column=pattern),
        subject="unmatched pattern",
    )
