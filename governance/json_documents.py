"""Parsing JSON an input file holds, so that every way it can be malformed is one `InputError`.

`json.loads` fails in more ways than `JSONDecodeError`: arrays nested thousands deep raise
`RecursionError`, a number of more than 4,300 digits a plain `ValueError`, and `NaN` or
`Infinity` (not JSON) are accepted. A hostile file (a Croissant datasheet from a pull request,
a tampered audit.json) must give one clear error naming the file, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from governance.errors import InputError, SourceLocation


def parse_json(text: str | bytes, path: Path, what: str) -> Any:
    """The JSON value `text` (the content of `path`, named `what` in errors)."""
    try:
        return json.loads(text, parse_constant=_not_json)
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


def _not_json(constant: str) -> NoReturn:
    raise _NotJson(constant)
