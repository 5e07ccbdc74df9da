"""Parsing JSON an input file holds, so that every way it can be malformed is one `InputError`.

`json.loads` fails in more ways than `JSONDecodeError`: arrays nested thousands deep raise
`RecursionError`, a number of more than 4,300 digits a plain `ValueError`; `NaN` and
`Infinity` (not JSON) are accepted, and of a key written twice the last copy silently wins. A
hostile file (a Croissant datasheet from a pull request, a tampered audit.json) must give one
clear error naming the file, never a crash nor a value other readers would not see.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from governance.errors import InputError, SourceLocation


def parse_json(text: str | bytes, path: Path, what: str) -> Any:
    """The JSON value `text` (the content of `path`, named `what` in errors)."""
    try:
        return loads_strict(text)
    except MalformedJson as problem:
        why = _DUPLICATE_WHY if problem.key is not None else ""
        raise InputError(
            f"{what} {problem.reason}{why}",
            location=SourceLocation(
                path, line=problem.line, column=problem.column, key=problem.key
            ),
        ) from None


_DUPLICATE_WHY = (
    " in one object (JSON readers disagree on which copy wins, so a reviewer could read another "
    "value than the audit)"
)


class MalformedJson(ValueError):
    """Why a text is not strict JSON: `reason` reads after the document's name ("is not valid
    JSON: ...", "repeats the key 'x'"), with the line and column or the key when known."""

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column
        self.key = key


def loads_strict(text: str | bytes) -> Any:
    """`json.loads`, failing in one way (`MalformedJson`) on everything a hostile file can
    hold: invalid JSON, nesting too deep, NaN or Infinity, a number too long, a repeated key,
    bytes that are not UTF-8."""
    try:
        return json.loads(text, parse_constant=_not_json, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise MalformedJson(
            f"is not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise MalformedJson("nests arrays or objects too deeply to be read") from None
    except _NotJson as constant:
        raise MalformedJson(f"is not valid JSON: {constant} is not a JSON number") from None
    except _DuplicateKey as duplicate:
        raise MalformedJson(f"repeats the key '{duplicate.key}'", key=duplicate.key) from None
    except UnicodeDecodeError as error:
        raise MalformedJson(f"is not UTF-8 text (invalid byte at offset {error.start})") from None
    except ValueError:  # an integer too long to convert (CPython's int_max_str_digits)
        raise MalformedJson("holds a number too long to be read") from None


class _NotJson(ValueError):
    pass


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _not_json(constant: str) -> NoReturn:
    raise _NotJson(constant)
