"""Field meanings come from the docstring under each field, read only when the reference is
generated: the models themselves carry none, so that building them reads no source."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from governance.config.validation import FrozenModel
from governance.policy.model import PolicyFile, Rule
from governance.vocabulary.documented_fields import (
    DocumentedFields,
    attribute_docstrings,
    documented_schema,
)
from governance.waivers import Waiver, WaiverScope


class _Inner(FrozenModel):
    """An inner mapping."""

    size: int = 1
    """How big,
    on two lines."""


class _Sample(FrozenModel):
    """A sample model."""

    name: str
    """The name."""
    "A second string after a field's docstring is no field's docstring."
    undocumented: int = 0
    inner: _Inner = _Inner()
    """The inner part."""
    stated: str = ""
    # a comment is no docstring

    def method(self) -> None:
        value: int = 1
        """A local's string is no field's docstring."""
        del value


class _Child(_Sample):
    extra: str = ""
    """Only in the child."""


class _Unmarked(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = ""
    """Not published: the model is not `DocumentedFields`."""


def test_the_docstring_right_after_an_annotated_field_is_its_meaning() -> None:
    assert attribute_docstrings(_Sample) == {
        "name": "The name.",
        "inner": "The inner part.",
    }
    assert attribute_docstrings(_Inner) == {"size": "How big,\non two lines."}


def test_the_schema_gives_each_field_its_docstring_inherited_ones_included() -> None:
    properties = documented_schema(_Child)["properties"]
    assert properties["name"]["description"] == "The name."
    assert properties["extra"]["description"] == "Only in the child."
    assert properties["inner"]["description"] == "The inner part."
    assert "description" not in properties["undocumented"]
    assert documented_schema(_Child)["$defs"]["_Inner"]["properties"]["size"]["description"] == (
        "How big,\non two lines."
    )


def test_only_documented_models_are_published_with_field_meanings() -> None:
    assert issubclass(FrozenModel, DocumentedFields)
    assert "description" not in documented_schema(_Unmarked)["properties"]["name"]


def test_a_meaning_that_repeats_the_referenced_models_is_left_to_it() -> None:
    assert WaiverScope.__doc__ == attribute_docstrings(Waiver)["scope"]
    scope = documented_schema(Waiver)["properties"]["scope"]
    assert "description" not in scope


def test_runtime_models_extract_no_docstrings() -> None:
    for model in (PolicyFile, Rule, Waiver, _Sample):
        assert all(field.description is None for field in model.model_fields.values()), model
        assert not model.model_config.get("use_attribute_docstrings")
    assert documented_schema(Rule)["properties"]["id"]["description"].startswith("Unique among")
