"""Suggestions for a misspelt key or value ("did you mean ...?"), from what a JSON Schema allows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any

from governance.config.yaml_document import YamlPath

_QUOTED = re.compile(r"'([^']*)'")


def did_you_mean(written: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the candidate closest to `written`, or empty."""
    choices = sorted(set(candidates))
    folded = {choice.casefold(): choice for choice in choices}
    close = [folded[written.casefold()]] if written.casefold() in folded else []
    close = close or get_close_matches(written, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close and close[0] != written else ""


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
