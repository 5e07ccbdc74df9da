"""What the pii check saw: per column, what was scanned and, per entity, what was found.

Only counts, rates and masked examples: no raw value is ever stored here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.evidence_table import Cell, ChartBar, EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import Identifier, QuotingText

_MAX_CHART_BARS = 40


class ColumnStatus(StrEnum):
    SCANNED = "scanned"
    EMPTY = "empty"
    """Every value is null."""
    NOT_SCANNED_BOOLEAN = "not_scanned_boolean"
    NOT_SCANNED_NUMERIC = "not_scanned_numeric"
    """Numbers count only where the column's name names the entity (see false_positives)."""
    NOT_SCANNED_NAME_REQUIRED = "not_scanned_name_required"
    """Every entity asked for needs a column name that names it (UK_NHS, US_DRIVER_LICENSE)."""
    NAMES_ONLY = "names_only"
    """The rule asks about column names only (special categories): values are not read."""


STATUS_WORDS = {
    ColumnStatus.SCANNED: "scanned",
    ColumnStatus.EMPTY: "empty",
    ColumnStatus.NOT_SCANNED_BOOLEAN: "not scanned (boolean)",
    ColumnStatus.NOT_SCANNED_NUMERIC: "not scanned (numeric)",
    ColumnStatus.NOT_SCANNED_NAME_REQUIRED: "not scanned (name needed)",
    ColumnStatus.NAMES_ONLY: "name only",
}
"""Each status in words, for the report tables (audit.json keeps the code)."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class EntityStatistics(_Value):
    entity: str
    scanned: int
    """Distinct values decided on: all of them when the rate is exact (`upper_bound` None),
    else the sample."""
    hits: int
    hit_rate: float
    """Hits over distinct values scanned; for a sample of candidates, the sample's rate times
    `candidate_share` (an estimate of the rate in the whole column)."""
    upper_bound: float | None
    """One-sided 95% Clopper–Pearson upper bound on the rate in the whole column; None when
    every distinct value was decided (the rate is then exact). For a sample of candidates, the
    bound on the rate among candidates times `candidate_share`."""
    candidate_share: float | None = None
    """When the sample was drawn from the values matching the entity's pattern (the only ones
    that can hold it): their share of the column's distinct values (estimated)."""
    max_score: float
    examples: tuple[str, ...]
    """Masked (`j***@e***.com`)."""
    declared: bool
    """The manifest declares this column as holding this entity (`pii_columns`)."""
    violation: bool


class CandidateCoverage(_Value):
    """How the entities with a candidate pattern were checked (default mode): the data engine
    matched every row against their patterns, and presidio verified the distinct matches."""

    entities: tuple[str, ...]
    """The entities asked for that have a pattern."""
    sampled: tuple[str, ...] = ()
    """The entities asked for that have none: scanned on a sample of distinct values."""
    rows: int
    """Non-null rows checked against the patterns: all of them."""
    candidate_rows: int
    """Rows whose value matches a pattern."""
    candidates: int
    """Distinct values matching a pattern (estimated when they were sampled)."""
    verified: int
    """Distinct candidates presidio analysed: all of them when `complete`, else a sample."""
    complete: bool
    candidate_share: float | None = None
    """When sampled: the candidates' share of the column's distinct values (estimated), by
    which the sample's bound is scaled."""


class ColumnEvidence(_Value):
    dataset: Identifier
    column: Identifier
    data_type: str
    status: ColumnStatus
    non_null: int
    distinct: int | None = None
    """Distinct values (as text), when known exactly: always when every one was scanned."""
    scanned: int = 0
    """Distinct values examined (the prefilter rules some out without presidio)."""
    analysed: int = 0
    """Of those, the values presidio analysed."""
    complete: bool = False
    """Every distinct value was scanned: rates are exact."""
    too_long: int = 0
    """Values cut to `max_value_length` characters before scanning."""
    bound_if_none: float | None = None
    """For each entity not found: the 95% upper bound on its rate (None when complete)."""
    found: tuple[EntityStatistics, ...] = ()
    candidates: CandidateCoverage | None = None
    """Default mode: how the entities with a candidate pattern were checked on every row."""
    special_category: str | None = None
    special_category_declared: bool = False
    notes: tuple[QuotingText, ...] = ()


class DatasetSummary(_Value):
    dataset: Identifier
    rows: int
    columns: int
    selected_columns: int
    notes: tuple[QuotingText, ...] = ()


class PiiEvidence(_Value):
    kind: Literal["pii"] = "pii"
    analyzer: str
    """`presidio <version>, no_op NLP engine` or the spaCy model used."""
    entities: tuple[str, ...]
    mode: Literal["default", "exhaustive"]
    sample_size: int
    seed: int
    min_score: float
    tolerance: float
    max_value_length: int
    confidence: float = 0.95
    datasets: tuple[DatasetSummary, ...]
    columns: tuple[ColumnEvidence, ...]
    unmatched_column_patterns: tuple[Identifier, ...] = ()

    def tables(self) -> tuple[EvidenceTable, ...]:
        tables = [self._columns_table()]
        found = self._found_table()
        if found.rows:
            tables.append(found)
        special = [c for c in self.columns if c.special_category]
        if special:
            tables.append(
                EvidenceTable(
                    title="Columns suggesting special-category data (GDPR Art. 9)",
                    columns=("dataset", "column", "category", "declared"),
                    rows=tuple(
                        (c.dataset, c.column, c.special_category, _yes(c.special_category_declared))
                        for c in special
                    ),
                )
            )
        return tuple(tables)

    def charts(self) -> tuple[EvidenceChart, ...]:
        bars = [
            ChartBar(
                label=f"{c.dataset}.{c.column} {s.entity}",
                value=s.hit_rate,
                flagged=s.violation,
            )
            for c in self.columns
            for s in c.found
        ]
        if not bars:
            return ()
        bars.sort(key=lambda bar: (-(bar.value or 0.0), bar.label))
        return (
            EvidenceChart(
                title="Share of distinct values holding personal data, per column",
                value_label="hit rate",
                bars=tuple(bars[:_MAX_CHART_BARS]),
                reference=self.tolerance if self.tolerance > 0 else None,
                reference_label="tolerance" if self.tolerance > 0 else "",
            ),
        )

    def _columns_table(self) -> EvidenceTable:
        # Dataset and column in one cell, and what was scanned in one: narrow enough for a
        # portrait page (ten columns went landscape, most of the page empty).
        rows: list[tuple[Cell, ...]] = []
        for c in self.columns:
            found = ", ".join(f"{s.entity} ({s.hits})" for s in c.found) or None
            rows.append(
                (
                    f"{c.dataset}.{c.column}",
                    c.data_type,
                    STATUS_WORDS[c.status],
                    _scanned(c),
                    found,
                    # The bound says how rare the entities are when none was found; beside a
                    # column where one was found it would read as that entity's rate.
                    c.bound_if_none if found is None else None,
                    "; ".join(c.notes) or None,
                )
            )
        return EvidenceTable(
            title=f"Columns scanned ({self.mode} mode, seed {self.seed}, "
            + (
                "every distinct value verified)"
                if self.mode == "exhaustive"
                else f"up to {self.sample_size:,} distinct values verified per column)"
            ),
            columns=(
                "column",
                "type",
                "status",
                "values checked",
                "found",
                "95% bound if none",
                "notes",
            ),
            rows=tuple(rows),
        )

    def _found_table(self) -> EvidenceTable:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                f"{c.dataset}.{c.column}",
                s.entity,
                f"{s.hits:,} of {s.scanned:,}",
                s.hit_rate,
                s.upper_bound,
                round(s.max_score, 2),
                ", ".join(s.examples),
                "declared" if s.declared else ("violation" if s.violation else "tolerated"),
            )
            for c in self.columns
            for s in c.found
        )
        return EvidenceTable(
            title="Personal data found (masked examples)",
            columns=(
                "column",
                "entity",
                "values holding it",
                "hit rate",
                "95% upper bound",
                "max score",
                "examples",
                "verdict",
            ),
            rows=rows,
        )


def _scanned(column: ColumnEvidence) -> str | None:
    """`all 4,000` when every distinct value was scanned, `1,000 of 4,000` for a sample; with
    candidate patterns, what the patterns left to verify."""
    coverage = column.candidates
    if coverage is not None:
        if coverage.candidates == 0:
            verified = "no candidates"
        elif coverage.complete:
            verified = f"all {coverage.candidates:,} candidates verified"
        else:
            verified = f"{coverage.verified:,} of ~{coverage.candidates:,} candidates verified"
        sampled = f"; {', '.join(coverage.sampled)} sampled" if coverage.sampled else ""
        return f"every row by pattern, {verified}{sampled}"
    if not column.scanned:
        return None
    if column.complete:
        return f"all {column.scanned:,}"
    of = f" of {column.distinct:,}" if column.distinct is not None else " (sample)"
    return f"{column.scanned:,}{of}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
