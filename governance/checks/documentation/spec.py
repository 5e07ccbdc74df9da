"""The `documentation:` block of a rule."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.validation import FrozenModel

DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "[More Information Needed]",
    "More information needed",
    "TODO",
    "TBD",
    "TBA",
    "FIXME",
    "Lorem ipsum",
    "Coming soon",
    "To be completed",
)


class RequiredSection(FrozenModel):
    """A heading the document must have, matched tolerantly (see `headings.py`)."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    min_words: int | None = Field(default=None, ge=0)


class DocumentationSpec(FrozenModel):
    kind: Literal["documentation"] = "documentation"
    document: Literal["model_card", "datasheet"]
    datasets: DatasetSelector = "*"
    """For datasheets: which datasets' datasheets the rule covers."""
    required_sections: tuple[RequiredSection, ...] = ()
    min_words: int = Field(default=1, ge=0)
    """Default minimum number of words of real content per required section."""
    required_fields: tuple[str, ...] = ()
    """Keys the YAML front matter must hold (Hugging Face model-card metadata)."""
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS

    @field_validator("required_sections", mode="before")
    @classmethod
    def _names_as_sections(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _requires_something(self) -> DocumentationSpec:
        if not self.required_sections and not self.required_fields:
            raise ValueError("a documentation check needs required_sections or required_fields")
        return self

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets) if self.document == "datasheet" else ()
