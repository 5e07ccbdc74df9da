"""The Markdown reference of every key (`docs/reference.md`), rendered from the same JSON
Schemas an editor uses: one table per mapping, each key with its type, default and meaning."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from governance.reference.input_schemas import INPUT_FILES, InputFile, input_schema

REGENERATE = "python -m governance.reference"


@dataclass(frozen=True)
class _Section:
    """One mapping the user writes: where it sits and the schema node that describes it."""

    path: str
    node: dict[str, Any]


def render_reference() -> str:
    """The whole reference, one chapter per kind of input file."""
    lines = [
        "# Reference: every key of the manifest, policies and waivers",
        "",
        "Generated from the models that read these files; a test fails when it is out of",
        f"date (regenerate with `{REGENERATE}`). Editors complete and check",
        "the same keys with the JSON Schemas in `schemas/` (see the README, *Reference and",
        "editor support*).",
    ]
    for kind in INPUT_FILES:
        lines += ["", *_chapter(kind)]
    return "\n".join(lines) + "\n"


def _chapter(kind: InputFile) -> Iterator[str]:
    schema = input_schema(kind)
    yield f"## {kind.title}"
    yield ""
    yield f"JSON Schema: `schemas/{kind.schema_file}`."
    for section in _sections(schema):
        yield ""
        yield from _table(schema, section)


def _sections(schema: dict[str, Any]) -> Iterator[_Section]:
    """Every mapping of the file, breadth first from the top, each once."""
    queue = [_Section("(top level)", schema)]
    seen: set[str] = set()
    while queue:
        section = queue.pop(0)
        yield section
        for key, value in _properties(schema, section.node).items():
            for path, node in _mappings_within(schema, f"{_prefix(section.path)}{key}", value):
                name = json.dumps(node, sort_keys=True)
                if name not in seen:
                    seen.add(name)
                    queue.append(_Section(path, node))


def _prefix(path: str) -> str:
    return "" if path == "(top level)" else f"{path}."


def _mappings_within(
    root: dict[str, Any], path: str, node: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The mappings with named keys a value may be, with their paths (`rules[]`,
    `datasets.NAME`)."""
    node = _resolved(root, node)
    if node.get("properties"):
        yield path, node
    for branch in node.get("anyOf", ()):
        yield from _mappings_within(root, path, branch)
    if isinstance(node.get("items"), dict):
        yield from _mappings_within(root, f"{path}[]", node["items"])
    for value in _named_values(node):
        yield from _mappings_within(root, f"{path}.NAME", value)


def _named_values(node: dict[str, Any]) -> list[dict[str, Any]]:
    values = list(node.get("patternProperties", {}).values())
    if isinstance(node.get("additionalProperties"), dict):
        values.append(node["additionalProperties"])
    return values


def _resolved(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in node:
        return node
    target = root["$defs"][str(node["$ref"]).rsplit("/", 1)[-1]]
    return {**target, **{key: value for key, value in node.items() if key != "$ref"}}


def _properties(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = _resolved(root, node).get("properties", {})
    return properties


def _table(root: dict[str, Any], section: _Section) -> Iterator[str]:
    node = _resolved(root, section.node)
    yield f"### `{section.path}`" if section.path != "(top level)" else "### Top-level keys"
    if node.get("description"):
        yield ""
        yield _one_line(node["description"])
    exactly_one = [
        choice["required"][0] for choice in node.get("oneOf", ()) if "required" in choice
    ]
    if exactly_one:
        yield ""
        yield "Exactly one of " + ", ".join(f"`{key}`" for key in exactly_one) + "."
    yield ""
    yield "| key | type | default | meaning |"
    yield "|---|---|---|---|"
    required = set(node.get("required", ()))
    for key, value in node["properties"].items():
        default = "required" if key in required else _default(value)
        meaning = _one_line(_resolved(root, value).get("description", ""))
        yield f"| `{key}` | {_cell(_type(root, value))} | {default} | {_cell(meaning)} |"


def _default(node: dict[str, Any]) -> str:
    if "default" not in node:
        return "—"
    value = node["default"]
    if value is None:
        return "none"
    if isinstance(value, dict):
        return "each key's default"
    return _cell(f"`{json.dumps(value, ensure_ascii=False)}`")


def _type(root: dict[str, Any], node: dict[str, Any]) -> str:
    """A value's type in words: `text`, `list of text`, `one of a, b`, ... with constraints."""
    if "$ref" in node:
        target = _resolved(root, {"$ref": node["$ref"]})
        if target.get("properties"):
            return "mapping (below)"
        return _type(root, target)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    if "anyOf" in node:
        branches = [branch for branch in node["anyOf"] if branch.get("type") != "null"]
        singles = [branch["items"] for branch in branches if branch.get("items") in branches]
        if len(branches) == 2 and singles:  # a single value stands for a list of one
            return f"{_type(root, singles[0])}, or a list of them"
        return " or ".join(dict.fromkeys(_type(root, branch) for branch in branches))
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        text = f"list of {_type(root, items)}" if isinstance(items, dict) else "list"
        return text + (f", at least {node['minItems']}" if node.get("minItems") else "")
    if kind == "object":
        values = _named_values(node)
        if node.get("properties"):
            return "mapping (below)"
        return f"mapping of names to {_type(root, values[0])}" if values else "mapping"
    return _SCALARS.get(str(node.get("format", kind)), str(kind)) + _bounds(node)


_SCALARS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "date": "date (YYYY-MM-DD)",
    "path": "path",
}


def _bounds(node: dict[str, Any]) -> str:
    parts = []
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            parts.append(f"{sign} {node[key]}")
    if "pattern" in node:
        parts.append(f"matching `{node['pattern']}`")
    if node.get("minLength") == 1:
        parts.append("not empty")
    if "maxLength" in node:
        parts.append(f"at most {node['maxLength']} characters")
    return f" ({', '.join(parts)})" if parts else ""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
