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
        return json.loads(text, parse_constant=_not_json, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{what} is not valid JSON: {error.msg}",
            location=SourceLocation(path, line=error.lineno, column=error.colno),
        ) from None
    except RecursionError:
        raise InputError(
            f"{what} nests arrays or objects too deeply to be read", location=SourceLocation(path)
        ) from None
    except _NotJson as constant:
        raise InputError(
            f"{what} is not valid JSON: {constant} is not a JSON number",
            location=SourceLocation(path),
        ) from None
    except _DuplicateKey as duplicate:
        raise InputError(
            f"{what} repeats the key '{duplicate.key}' in one object (JSON readers disagree "
            "on which copy wins, so a reviewer could read another value than the audit)",
            location=SourceLocation(path, key=duplicate.key),
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{what} is not UTF-8 text (invalid byte at offset {error.start})",
            location=SourceLocation(path),
        ) from None
    except ValueError:  # an integer too long to convert (CPython's int_max_str_digits)
        raise InputError(
            f"{what} holds a number too long to be read", location=SourceLocation(path)
        ) from None


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
