"""The sentences a pii finding says: counts, rates and masked examples, never a raw value."""

from __future__ import annotations

from governance.checks.pii.evidence import ColumnEvidence, EntityStatistics
from governance.vocabulary.findings import Finding, FindingScope


def entity_finding(column: ColumnEvidence, stats: EntityStatistics) -> Finding:
    where = f"column '{column.column}' of dataset '{column.dataset}'"
    if stats.upper_bound is None:  # every distinct value decided: the rate is exact
        how_many = f"{stats.hits:,} of its {stats.scanned:,} distinct values"
        rate = f"{stats.hit_rate:.1%}, every distinct value scanned"
    elif stats.candidate_share is not None:
        how_many = (
            f"{stats.hits:,} of {stats.scanned:,} sampled candidates (the values its pattern "
            f"matches, about {stats.candidate_share:.1%} of its distinct values)"
        )
        rate = (
            f"about {stats.hit_rate:.1%} of its values; up to {stats.upper_bound:.1%} at 95% "
            "confidence"
        )
    else:
        how_many = f"{stats.hits:,} of {stats.scanned:,} sampled distinct values"
        rate = (
            f"{stats.hit_rate:.1%}; up to {stats.upper_bound:.1%} of all its values at 95% "
            "confidence"
        )
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
