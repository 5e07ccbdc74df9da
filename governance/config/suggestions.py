"""Suggestions for a misspelt key or value ("did you mean ...?"), from what a JSON Schema allows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Any

from governance.config.yaml_document import YamlPath

_QUOTED = re.compile(r"'([^']*)'")
_LISTED_NAMES = 20
_LISTED_WIDTH = 40


def did_you_mean(written: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the candidate closest to `written`, or empty."""
    close = closest(written, candidates)
    return f" (did you mean '{close}'?)" if close is not None else ""


def closest(written: str, candidates: Iterable[str]) -> str | None:
    """The candidate `written` most likely misspells (the same name in another case first),
    or None when none is close or `written` is one of them."""
    choices = sorted(set(candidates))
    folded = {choice.casefold(): choice for choice in choices}
    close = [folded[written.casefold()]] if written.casefold() in folded else []
    close = close or get_close_matches(written, choices, n=1, cutoff=0.6)
    return close[0] if close and close[0] != written else None


def listed_names(names: Sequence[str]) -> str:
    """Names for a hint (a dataset's columns): the first `_LISTED_NAMES`, each cut short and
    with control characters escaped (a binary file read as CSV has thousands of garbage
    'columns', and raw control bytes would reach the terminal)."""
    shown = []
    for name in names[:_LISTED_NAMES]:
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)
        shown.append(text if len(text) <= _LISTED_WIDTH else text[: _LISTED_WIDTH - 1] + "…")
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" … and {rest} more" if rest else "")


def expected_values(expected: str) -> tuple[str, ...]:
    """The values in pydantic's `expected` text of an enum or literal error: `'a', 'b' or 'c'`."""
    return tuple(_QUOTED.findall(expected))


def allowed_keys(schema: dict[str, Any], path: YamlPath) -> frozenset[str]:
    """The keys a mapping at `path` may hold, by the schema (the union over its alternatives)."""
    nodes = [schema]
    for part in path:
        nodes = [child for node in nodes for child in _children(schema, node, part)]
    return frozenset(key for node in nodes for key in _properties(schema, node))


def _alternatives(root: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """`node` with its `$ref` followed and its `anyOf`/`oneOf`/`allOf` branches spread out."""
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        rest = {key: value for key, value in node.items() if key != "$ref"}
        node = {**root.get("$defs", {}).get(name, {}), **rest}
    found = [node]
    for combinator in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(combinator, ()):
            found.extend(_alternatives(root, branch))
    return found


def _children(root: dict[str, Any], node: dict[str, Any], part: str | int) -> list[dict[str, Any]]:
    children: list[dict[str, Any]] = []
    for alternative in _alternatives(root, node):
        if isinstance(part, int):
            if isinstance(alternative.get("items"), dict):
                children.append(alternative["items"])
            continue
        if part in alternative.get("properties", {}):
            children.append(alternative["properties"][part])
        elif isinstance(alternative.get("additionalProperties"), dict):
            children.append(alternative["additionalProperties"])
        else:
            children.extend(alternative.get("patternProperties", {}).values())
    return children


def _properties(root: dict[str, Any], node: dict[str, Any]) -> list[str]:
    alternatives = _alternatives(root, node)
    return [key for alternative in alternatives for key in alternative.get("properties", {})]
