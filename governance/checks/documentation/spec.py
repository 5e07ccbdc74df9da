"""The `documentation:` block of a rule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

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
    "N/A",
    "n/a",
)

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RequiredSection(FrozenModel):
    """A heading the document must have, matched tolerantly (see `headings.py`)."""

    name: Phrase
    aliases: tuple[Phrase, ...] = ()
    min_words: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _distinct_names(self) -> RequiredSection:
        seen: set[str] = set()
        for name in (self.name, *self.aliases):
            if name.casefold() in seen:
                raise ValueError(f"'{name}' is listed twice among the section's name and aliases")
            seen.add(name.casefold())
        return self


class DocumentationSpec(FrozenModel):
    kind: Literal["documentation"] = "documentation"
    document: Literal["model_card", "datasheet"]
    datasets: DatasetSelector = "*"
    """For datasheets: which datasets' datasheets the rule covers."""
    required_sections: tuple[RequiredSection, ...] = ()
    min_words: int = Field(default=1, ge=0)
    """Default minimum number of words of real content per required section."""
    required_fields: tuple[Phrase, ...] = ()
    """Keys the YAML front matter must hold (Hugging Face model-card metadata)."""
    placeholders: tuple[Phrase, ...] = DEFAULT_PLACEHOLDERS

    @field_validator("required_sections", mode="before")
    @classmethod
    def _names_as_sections(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple({"name": item} if isinstance(item, str) else item for item in value)
        return value

    @model_validator(mode="after")
    def _requires_something(self) -> DocumentationSpec:
        if not self.required_sections and not self.required_fields:
            raise ValueError("a documentation check needs required_sections or required_fields")
        return self

    @property
    def gates(self) -> bool:
        """Always: a required section or field that is missing or empty fails the rule."""
        return True

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets) if self.document == "datasheet" else ()
