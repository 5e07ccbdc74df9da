"""The `documentation:` block of a rule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.checks.documentation.croissant import RAI_PROPERTIES, rai_iri
from governance.config.suggestions import did_you_mean
from governance.config.validation import FrozenModel, error_at_key

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
    """The heading's text."""
    aliases: tuple[Phrase, ...] = ()
    """Other headings accepted for the same section."""
    min_words: int | None = Field(default=None, ge=0)
    """Words of real content the section needs; defaults to the block's `min_words`."""

    @model_validator(mode="after")
    def _distinct_names(self) -> RequiredSection:
        seen: set[str] = set()
        for name in (self.name, *self.aliases):
            if name.casefold() in seen:
                raise ValueError(f"'{name}' is listed twice among the section's name and aliases")
            seen.add(name.casefold())
        return self


def _schema_as_written(schema: dict[str, Any]) -> None:
    """A required section may be written as its name alone."""
    sections = schema["properties"]["required_sections"]
    sections["items"] = {"anyOf": [{"type": "string", "minLength": 1}, sections["items"]]}


class DocumentationSpec(FrozenModel):
    """Require sections (headings with real content) and front-matter fields in the model card
    or in the datasets' datasheets, or Responsible-AI properties in their Croissant files."""

    model_config = ConfigDict(json_schema_extra=_schema_as_written)

    kind: Literal["documentation"] = "documentation"
    document: Literal["model_card", "datasheet", "croissant", "technical_documentation"]
    """Which document: the manifest's model card, the datasets' datasheets, the datasets'
    Croissant metadata files (JSON-LD), or the model's technical documentation
    (`model.technical_documentation`; the model card when the manifest declares none)."""
    datasets: DatasetSelector = "*"
    """For datasheets and Croissant files: which datasets' documents the rule covers."""
    required_sections: tuple[RequiredSection, ...] = ()
    """Sections the document must have, each a heading's text or a mapping with aliases."""
    min_words: int = Field(default=1, ge=0)
    """Default minimum number of words of real content per required section."""
    required_fields: tuple[Phrase, ...] = ()
    """Keys the YAML front matter must hold (Hugging Face model-card metadata)."""
    required_properties: tuple[Phrase, ...] = ()
    """Croissant Responsible-AI properties the dataset must state with real content
    (`rai:dataBiases`, or the full IRI `http://mlcommons.org/croissant/RAI/dataBiases`)."""
    placeholders: tuple[Phrase, ...] = DEFAULT_PLACEHOLDERS
    """Text that does not count as content (a section holding only these fails)."""

    @field_validator("required_sections", mode="before")
    @classmethod
    def _names_as_sections(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple({"name": item} if isinstance(item, str) else item for item in value)
        return value

    @field_validator("required_properties")
    @classmethod
    def _known_properties(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, name in enumerate(value):
            if rai_iri(name) is None:
                known = [f"rai:{term}" for term in RAI_PROPERTIES]
                raise error_at_key(
                    index,
                    f"'{name}' is not a Croissant RAI property{did_you_mean(name, known)}",
                )
        return value

    @model_validator(mode="after")
    def _requires_something(self) -> DocumentationSpec:
        if self.document == "croissant":
            if self.required_sections or self.required_fields or not self.required_properties:
                raise ValueError(
                    "a documentation check of Croissant files needs required_properties "
                    "(and has no sections or front matter)"
                )
        elif self.required_properties:
            raise ValueError("required_properties apply to document: croissant only")
        elif not self.required_sections and not self.required_fields:
            raise ValueError("a documentation check needs required_sections or required_fields")
        return self

    @property
    def gates(self) -> bool:
        """Always: a required section or field that is missing or empty fails the rule."""
        return True

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets) if self.document != "model_card" else ()

    def failure_conditions(self) -> tuple[str, ...]:
        document = {
            "model_card": "the model card",
            "datasheet": "a covered datasheet",
            "croissant": "a covered Croissant file",
            "technical_documentation": "the technical documentation (else the model card)",
        }[self.document]
        conditions = [f"{document} is not declared in the manifest"]
        conditions += [
            f"{document} does not state '{name}', or it is empty, holds only a placeholder or "
            f"has fewer than {self.min_words} word{'s' if self.min_words != 1 else ''} of content"
            for name in self.required_properties
        ]
        for section in self.required_sections:
            names = " or ".join(f"'{name}'" for name in (section.name, *section.aliases))
            words = self.min_words if section.min_words is None else section.min_words
            conditions.append(
                f"{document} has no section {names}, or it is empty, holds only a placeholder "
                f"or has fewer than {words} word{'s' if words != 1 else ''} of content"
            )
        conditions += [f"{document}'s front matter lacks '{key}'" for key in self.required_fields]
        return tuple(conditions)
