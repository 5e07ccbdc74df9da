"""Validating YAML data into frozen pydantic models, with errors that point at the file."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from governance.config.yaml_document import YamlDocument, YamlPath
from governance.errors import InputError

ModelT = TypeVar("ModelT", bound=BaseModel)


class FrozenModel(BaseModel):
    """Base of every value the user writes: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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
    return document.error(message, loc)


def _yaml_path(loc: tuple[int | str, ...]) -> YamlPath:
    # Checks are parsed as a tagged union under a synthetic "check" key whose tag is the YAML
    # key the user wrote (e.g. `documentation:`), so ("check", "documentation", ...) maps to
    # ("documentation", ...), wherever it appears (a rule in a policy: ("rules", 0, "check",
    # ...)). Function-validator names in brackets are not keys at all.
    parts = [part for part in loc if not (isinstance(part, str) and part.startswith("function-"))]
    if "check" in parts[:-1]:
        parts.remove("check")
    return tuple(parts)


def _sentence(problem: Any, loc: YamlPath) -> str:
    key = str(loc[-1]) if loc else "document"
    kind = problem["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{key}'"
    if kind == "missing":
        return f"missing required key '{key}'"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"invalid value for '{key}': {message}"
