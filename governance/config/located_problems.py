"""pydantic's validation errors as the user's mistakes: each problem one sentence, located at
the key the user wrote (not at the shape the model gave it), with a "did you mean" when a key or
value is misspelt; every problem of the file, in its order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from governance.config.suggestions import allowed_keys, did_you_mean, expected_values
from governance.config.yaml_document import YamlDocument, YamlPath
from governance.errors import InputError

PATH_REFUSED = "path_refused"
"""The error type of a path that confinement refused (its context carries the hint)."""

AT_KEY = "at_key"
"""The error type of a validator's problem with one key (or item) of the value it validates,
reported there, as the user wrote it (`validation.error_at_key`)."""

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class _Problem:
    loc: YamlPath
    kind: str
    message: str
    written: Any
    expected: str
    hint: str
    about_key: bool
    """The problem is the name of the key at `loc`, not its value."""


def validation_error(
    error: ValidationError,
    document: YamlDocument,
    at: YamlPath,
    model: type[BaseModel] | None = None,
) -> InputError:
    """Every problem pydantic found, each as one sentence located where the user wrote it, in
    the order of the file; the first carries the others. `model`'s JSON Schema gives the keys
    a misspelt one may have meant."""
    schema = None if model is None else model.model_json_schema()
    problems = _most_precise([_problem(raw, document, at) for raw in error.errors()])
    errors = sorted(
        (
            _error(problems, about_key, loc, document, at, schema)
            for loc, about_key in dict.fromkeys((p.loc, p.about_key) for p in problems)
        ),
        key=_position,
    )
    shown = errors[:MAX_PROBLEMS_SHOWN]
    first, *rest = shown
    message = first.message
    if len(errors) > len(shown):
        message += f" (and {len(errors) - len(shown)} more problems, not shown)"
    return InputError(message, location=first.location, hint=first.hint, further=tuple(rest))


def _problem(raw: Any, document: YamlDocument, at: YamlPath) -> _Problem:
    context = raw.get("ctx") or {}
    raw_loc = _yaml_path(raw["loc"])
    about_key = _KEY_MARK in raw_loc
    if about_key:  # pydantic validated a mapping's key: the loc names the key, then "[key]"
        raw_loc = raw_loc[: raw_loc.index(_KEY_MARK)]
    loc = _as_written(document, (*at, *raw_loc), keep_last=raw["type"] == "missing")
    if raw["type"] == AT_KEY:
        key = context["key"]
        loc = (*loc, *(key if isinstance(key, tuple) else (key,)))
    return _Problem(
        loc=loc,
        kind=raw["type"],
        message=str(raw["msg"]).removeprefix("Value error, "),
        written=raw.get("input"),
        expected=str(context.get("expected", "")),
        hint=str(context.get("hint", "")),
        about_key=about_key,
    )


def _most_precise(problems: list[_Problem]) -> list[_Problem]:
    """Without a node's shape problems when it also has a problem inside it: a list whose item
    is wrong is then also "too short", and a value refused by each branch of a union is wrong
    in the branch whose shape it has."""
    return [
        problem
        for problem in problems
        if problem.about_key
        or problem.kind not in _SHAPE_PROBLEMS
        or not any(
            len(other.loc) > len(problem.loc) and other.loc[: len(problem.loc)] == problem.loc
            for other in problems
        )
    ]


def _error(
    problems: Iterable[_Problem],
    about_key: bool,
    loc: YamlPath,
    document: YamlDocument,
    at: YamlPath,
    schema: dict[str, Any] | None,
) -> InputError:
    """The one sentence about the value at `loc` (the branches of a union merged)."""
    here = [p for p in problems if p.loc == loc and p.about_key == about_key]
    if about_key:
        parent = f" under '{_key_name(loc[:-1])}'" if len(loc) > 1 else ""
        return document.error(
            f"invalid key '{loc[-1]}'{parent}: {here[0].message}", loc, hint=here[0].hint
        )
    plain = [problem for problem in here if problem.kind in _PLAIN_WORDING]
    if len(plain) > 1:
        wordings = dict.fromkeys(_PLAIN_WORDING[p.kind].removeprefix("must be ") for p in plain)
        message = f"'{_key_name(loc)}' must be {' or '.join(wordings)}"
    else:
        message = _sentence(here[0], _suggestion(here[0], loc[len(at) :], schema))
    return document.error(message, loc, hint=here[0].hint)


def _position(error: InputError) -> tuple[int, int]:
    location = error.location
    return (0, 0) if location is None else (location.line or 0, location.column or 0)


def _as_written(document: YamlDocument, loc: YamlPath, *, keep_last: bool) -> YamlPath:
    """`loc` as a path in the document: without the names pydantic gives the branches of a
    union (`str`, `tuple[str, ...]`), and without an item index the user did not write (a
    validator took a single value for a list of one: `metric: x` for `metrics: [x]`). The
    last part of a missing key is kept: it names what is missing."""
    data: Any = document.data
    written: list[str | int] = []
    for index, part in enumerate(loc):
        in_mapping = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_mapping or in_list:
            data = data[part]
            written.append(part)
        elif keep_last and index == len(loc) - 1:
            written.append(part)
        # else: not a place in the document (a union branch, a single value's index)
    return tuple(written)


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


def _suggestion(problem: _Problem, loc: YamlPath, schema: dict[str, Any] | None) -> str:
    """` (did you mean ...)` for a misspelt key or value, else empty."""
    if problem.kind == "extra_forbidden" and loc and schema is not None:
        return did_you_mean(str(loc[-1]), allowed_keys(schema, loc[:-1]))
    if problem.kind in ("enum", "literal_error") and isinstance(problem.written, str):
        return did_you_mean(problem.written, expected_values(problem.expected))
    return ""


_KEY_MARK = "[key]"

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


_SHAPE_PROBLEMS = frozenset({*_PLAIN_WORDING, "too_short", "too_long"})


def _key_name(loc: YamlPath) -> str:
    if len(loc) > 1 and isinstance(loc[-1], int):  # an item of a list: name the list too
        return f"{loc[-2]}[{loc[-1]}]"
    return "document" if not loc else str(loc[-1])


def _sentence(problem: _Problem, suggestion: str) -> str:
    key = _key_name(problem.loc)
    if problem.kind == "extra_forbidden":
        return f"unknown key '{key}'{suggestion}"
    if problem.kind == "missing":
        return f"missing required key '{key}'"
    if problem.kind in ("value_error", PATH_REFUSED, AT_KEY):  # our validators write sentences
        return problem.message
    if problem.kind in _PLAIN_WORDING:
        return f"'{key}' {_PLAIN_WORDING[problem.kind]}"
    if suggestion and isinstance(problem.written, str):
        message = problem.message[:1].lower() + problem.message[1:]
        return f"invalid value '{problem.written}' for '{key}'{suggestion}; {message}"
    return f"invalid value for '{key}': {problem.message}"
