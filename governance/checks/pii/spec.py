"""The `pii:` block of a rule."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.suggestions import did_you_mean
from governance.config.validation import FrozenModel, error_at_key
from governance.personal_data.entity_names import KNOWN_ENTITIES

ColumnSelector = str | tuple[str, ...]


class PiiSpec(FrozenModel):
    """Scan the datasets' columns for personal data (presidio), and fail the columns where a
    forbidden entity is found."""

    kind: Literal["pii"] = "pii"
    datasets: DatasetSelector = "*"
    """Dataset names or globs to scan (`*`: all)."""
    columns: ColumnSelector = "*"
    """Column names or globs to scan; a pattern that matches no column is reported."""
    exclude_columns: tuple[str, ...] = ()
    """Column names or globs left out of the scan."""
    entities: tuple[str, ...] = ()
    """presidio entity names forbidden in the selected columns (EMAIL_ADDRESS, US_SSN, ...)."""
    min_score: float = Field(default=0.4, ge=0.0, le=1.0)
    """presidio's confidence from which a match counts. 0.4 keeps phone numbers written
    without a context word (presidio scores them 0.4; a `phone` column name raises it)."""
    tolerance: float = Field(default=0.0, ge=0.0, lt=1.0)
    """Fraction of a column's distinct values allowed to hold a forbidden entity."""
    sample_size: int = Field(default=1000, ge=1, le=10_000_000)
    """Distinct values presidio verifies per column in `default` mode: every row is first
    matched against a pattern per entity, and when more than this many distinct values match,
    a seeded sample of them is verified (entities without a pattern: a sample of all values)."""
    seed: int = Field(default=0, ge=0, lt=2**63)
    """Seed of the sample of distinct values (recorded in the evidence)."""
    mode: Literal["default", "exhaustive"] = "default"
    """`exhaustive` sends every distinct value to presidio (slow); `default` sends the values
    a pattern per entity selects, on every row, which gives the same findings while they are
    at most `sample_size` per column."""
    max_value_length: int = Field(default=4096, ge=16, le=1_000_000)
    """Characters of a value that are scanned; longer values are cut (and counted)."""
    allow_declared: bool = True
    """Columns declared in the manifest's `pii_columns` may hold their declared entities."""
    special_categories: bool = False
    """Also flag columns whose names suggest GDPR Art. 9 special-category data (health,
    ethnicity, religion, ...) unless the manifest declares them."""

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = KNOWN_ENTITIES
        for index, entity in enumerate(value):
            if entity not in known:
                longer = [name for name in sorted(known) if name.startswith(entity.upper())]
                suggestion = (
                    f" (did you mean '{longer[0]}'?)" if longer else did_you_mean(entity, known)
                )
                raise error_at_key(index, f"unknown entity '{entity}'{suggestion}")
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _asks_something(self) -> PiiSpec:
        if not self.entities and not self.special_categories:
            raise ValueError("a pii check needs 'entities' or 'special_categories: true'")
        return self

    @property
    def gates(self) -> bool:
        """Always: a forbidden entity found beyond `tolerance` fails the rule."""
        return True

    def column_patterns(self) -> tuple[str, ...]:
        return (self.columns,) if isinstance(self.columns, str) else self.columns

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets)

    def failure_conditions(self) -> tuple[str, ...]:
        columns = ", ".join(self.column_patterns())
        datasets = self.datasets if isinstance(self.datasets, str) else ", ".join(self.datasets)
        where = ("any column" if columns == "*" else f"a column matching {columns}") + (
            " of any dataset" if datasets == "*" else f" of {datasets}"
        )
        conditions = []
        if self.entities:
            share = (
                "any of its distinct values"
                if self.tolerance == 0
                else f"more than {self.tolerance:.1%} of its distinct values"
            )
            declared = (
                ", unless the manifest declares that entity for the column"
                if self.allow_declared
                else ""
            )
            sampled = (
                "every distinct value scanned"
                if self.mode == "exhaustive"
                else "every row matched against a pattern per entity, up to "
                f"{self.sample_size:,} distinct candidates verified per column"
            )
            conditions.append(
                f"{where} holds {', '.join(self.entities)} (presidio score >= "
                f"{self.min_score}) in {share}{declared} ({sampled})"
            )
        if self.special_categories:
            conditions.append(
                f"{where} is named like GDPR Art. 9 special-category data (health, ethnicity, "
                "religion, ...) and the manifest does not declare it"
            )
        if columns != "*":
            conditions.append("a pattern of `columns` matches no column")
        return tuple(conditions)
