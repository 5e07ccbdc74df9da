"""Validating YAML data into frozen pydantic models, with errors that point at the file."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Strict, ValidationError, model_validator

from governance.config.yaml_document import YamlDocument, YamlPath
from governance.errors import InputError

ModelT = TypeVar("ModelT", bound=BaseModel)

PATH_REFUSED = "path_refused"
"""The error type of a path that confinement refused (its context carries the hint)."""

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""Names users give (audits, datasets, policies): safe in file names and report ids."""


class FrozenModel(BaseModel):
    """Base of every value the user writes: immutable, unknown keys are errors, and types are
    strict: no implicit coercion (`true` is not a number, `"5"` is not an int, bytes from
    `!!binary` are not text) and every number is finite (`.nan` would make every comparison
    false, and a rule pass). YAML lists are taken as tuples, which strict mode asks for."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

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
        raise validation_error(error, document, at) from None


def validation_error(error: ValidationError, document: YamlDocument, at: YamlPath) -> InputError:
    """The first problem pydantic found, as one sentence located in the YAML file."""
    problems = error.errors(include_url=False)
    first = problems[0]
    loc = (*at, *_yaml_path(first["loc"]))
    message = _sentence(first, loc)
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return document.error(message, loc, hint=str((first.get("ctx") or {}).get("hint", "")))


def _yaml_path(loc: tuple[int | str, ...]) -> YamlPath:
    # A rule's check block is parsed as a tagged union under a synthetic "check" key whose tag
    # is the YAML key the user wrote, so (..., "check", "documentation", ...) maps to
    # (..., "documentation", ...). Function-validator names in brackets are not keys at all.
    parts = [part for part in loc if not (isinstance(part, str) and part.startswith("function-"))]
    return tuple(
        part
        for index, part in enumerate(parts)
        if not (part == "check" and isinstance(next(iter(parts[index + 1 :]), None), str))
    )


_PLAIN_WORDING = {
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "string_type": "must be text",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number (not .nan or .inf)",
    "path_type": "must be a path (text)",
}


def _sentence(problem: Any, loc: YamlPath) -> str:
    key = "document" if not loc else str(loc[-1])
    if len(loc) > 1 and isinstance(loc[-1], int):  # an item of a list: name the list too
        key = f"{loc[-2]}[{loc[-1]}]"
    kind = problem["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{key}'"
    if kind == "missing":
        return f"missing required key '{key}'"
    message = str(problem["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", PATH_REFUSED):  # our own validators write whole sentences
        return message
    if kind in _PLAIN_WORDING:
        return f"'{key}' {_PLAIN_WORDING[kind]}"
    return f"invalid value for '{key}': {message}"
