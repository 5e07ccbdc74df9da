"""Validating YAML data into frozen pydantic models, with errors that point at the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Strict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from governance.config.located_problems import AT_KEY, validation_error
from governance.config.located_problems import PATH_REFUSED as PATH_REFUSED
from governance.config.yaml_document import YamlDocument, YamlPath
from governance.vocabulary.documented_fields import DocumentedFields

ModelT = TypeVar("ModelT", bound=BaseModel)


NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""Names users give (audits, datasets, policies): safe in file names and report ids."""


class FrozenModel(BaseModel, DocumentedFields):
    """Base of every value the user writes: immutable, unknown keys are errors, and types are
    strict: no implicit coercion (`true` is not a number, `"5"` is not an int, bytes from
    `!!binary` are not text) and every number is finite (`.nan` would make every comparison
    false, and a rule pass). YAML lists are taken as tuples, which strict mode asks for."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _lists_as_tuples(cls, data: Any) -> Any:
        return {k: _tuples(v) for k, v in data.items()} if isinstance(data, dict) else data


def _tuples(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return value


def error_at_key(
    key: str | int | tuple[str | int, ...], message: str, hint: str = ""
) -> PydanticCustomError:
    """For a validator: `message` about the key or item `key` (a path, for one deeper) of the
    value it validates, reported there."""
    return PydanticCustomError(AT_KEY, "{message}", {"message": message, "key": key, "hint": hint})


def single_values_allowed(*fields: str) -> Callable[[dict[str, Any]], None]:
    """A model's `json_schema_extra` when a validator of its takes a single value for a list of
    one in `fields` (`metric: x` for `[x]`): the schema accepts both forms, as the model does."""

    def widen(schema: dict[str, Any]) -> None:
        for name in fields:
            field = schema["properties"][name]
            branches = field.pop("anyOf", None) or [
                {key: field.pop(key) for key in ("type", "items", "minItems") if key in field}
            ]
            singles = [branch["items"] for branch in branches if branch.get("type") == "array"]
            field["anyOf"] = [*singles, *branches]

    return widen


Lax = Strict(False)
"""For enum fields (`Annotated[Severity, Lax]`): strict mode would take only enum members,
where YAML gives their text; a value outside the enum is still refused."""


def parse_model(
    model: type[ModelT],
    document: YamlDocument,
    data: Any = None,
    at: YamlPath = (),
    context: dict[str, Any] | None = None,
) -> ModelT:
    """Validate `data` (the whole document by default) as `model`; errors name file, line, key."""
    try:
        return model.model_validate(document.data if data is None else data, context=context)
    except ValidationError as error:
        raise validation_error(error, document, at, model) from None
