"""The `pii:` block of a rule."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Literal

from pydantic import Field, field_validator, model_validator

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.validation import FrozenModel

ColumnSelector = str | tuple[str, ...]


class PiiSpec(FrozenModel):
    kind: Literal["pii"] = "pii"
    datasets: DatasetSelector = "*"
    columns: ColumnSelector = "*"
    """Column names or globs to scan; a pattern that matches no column is reported."""
    exclude_columns: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    """presidio entity names forbidden in the selected columns (EMAIL_ADDRESS, US_SSN, ...)."""
    min_score: float = Field(default=0.4, ge=0.0, le=1.0)
    """presidio's confidence from which a match counts. 0.4 keeps phone numbers written
    without a context word (presidio scores them 0.4; a `phone` column name raises it)."""
    tolerance: float = Field(default=0.0, ge=0.0, lt=1.0)
    """Fraction of a column's distinct values allowed to hold a forbidden entity."""
    sample_size: int = Field(default=1000, ge=1, le=10_000_000)
    """Distinct values scanned per column in `default` mode."""
    seed: int = Field(default=0, ge=0, lt=2**63)
    mode: Literal["default", "exhaustive"] = "default"
    """`exhaustive` scans every distinct value, for audits that need certainty."""
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
        from governance.personal_data.analyzer import known_entities

        known = known_entities()
        for entity in value:
            if entity not in known:
                close = [k for k in sorted(known) if k.startswith(entity.upper())] or (
                    get_close_matches(entity.upper(), sorted(known), n=1)
                )
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(f"unknown entity '{entity}'{hint}")
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
