"""YAML parsed safely, with the line and column of every key kept for error messages.

Only plain data is built: no tags that construct objects, no anchors or aliases (a policy is
meant to be read by people; `extends:` is the way to share rules), no duplicate keys.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from governance.config.yaml_problems import plain_yaml_problem
from governance.errors import InputError, SourceLocation
from governance.text_files import read_text_file

YamlPath = tuple[str | int, ...]
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_CORE_TAG_PREFIX = "tag:yaml.org,2002:"
_ANY_VALUE_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:binary"})
"""Tags whose constructors take any value, or refuse it with a ConstructorError."""


@dataclass(frozen=True)
class YamlDocument:
    """The data of one YAML file and where each of its keys and items was written."""

    path: Path
    data: Any
    positions: Mapping[YamlPath, tuple[int, int]] = field(repr=False)

    def locate(self, yaml_path: YamlPath) -> SourceLocation:
        """The location of the deepest written part of `yaml_path` (1-based line and column)."""
        key = ".".join(str(part) for part in yaml_path) or None
        for end in range(len(yaml_path), 0, -1):
            found = self.positions.get(yaml_path[:end])
            if found:
                return SourceLocation(self.path, line=found[0], column=found[1], key=key)
        return SourceLocation(self.path, line=1, key=key)

    def error(
        self,
        message: str,
        yaml_path: YamlPath = (),
        hint: str = "",
        kind: type[InputError] = InputError,
    ) -> InputError:
        return kind(message, location=self.locate(yaml_path), hint=hint)


def load_yaml_document(path: Path, what: str) -> YamlDocument:
    """Parse `path` as YAML; every mistake becomes an InputError with file, line and column."""
    return parse_yaml_text(read_text_file(path, what), path, what)


def parse_yaml_text(text: str, path: Path, what: str) -> YamlDocument:
    """Parse YAML text that came from `path` (named in errors) under the same rules."""
    return _parsed_by_libyaml(text, path) or _parsed_by_pyyaml(text, path, what)


_LIBYAML_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_LIBYAML_AGREES = re.compile(
    "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
"""Text on which libyaml and PyYAML's parser build the same data at the same positions:
printable text without `!` or `?`, tabs, carriage returns, byte-order marks or the Unicode
line breaks. A differential fuzz of the two parsers found them apart only outside it: libyaml
takes tabs PyYAML refuses, reads `!` (an empty tag) as '' where PyYAML reads null, takes `?`
keys in flow mappings PyYAML refuses, and counts a byte-order mark as a column."""


def _parsed_by_libyaml(text: str, path: Path) -> YamlDocument | None:
    """The document as libyaml (PyYAML's C parser, ~15x faster) composes it, built under the
    same rules; None when libyaml is not installed, when the text is outside what both parsers
    read alike, or when anything is wrong (a syntax error, a refused tag, a duplicate key...):
    PyYAML's own parser then reads it, and every error keeps its wording and position."""
    if _LIBYAML_LOADER is None or "!" in text or "?" in text:
        return None
    if not _LIBYAML_AGREES.fullmatch(text):
        return None
    loader = _LIBYAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        positions: dict[YamlPath, tuple[int, int]] = {}
        data = _Builder(loader, path, positions).build(node, ())
    except Exception:  # any problem is reported by the second parse
        return None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, positions=positions)


def _parsed_by_pyyaml(text: str, path: Path, what: str) -> YamlDocument:
    try:
        loader = yaml.SafeLoader(text)  # refuses control characters here, before any parsing
    except yaml.reader.ReaderError as error:
        raise InputError(
            f"{what} is not valid YAML: it holds the control character #x{error.character:04x}",
            location=_offset_location(text, error.position, path),
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{what} is empty", location=SourceLocation(path, line=1))
        positions: dict[YamlPath, tuple[int, int]] = {}
        data = _Builder(loader, path, positions).build(node, ())
    except yaml.MarkedYAMLError as error:
        problem = plain_yaml_problem(error.problem or error.context or "invalid YAML")
        start = error.context_mark if problem.at_start else None
        mark = start or error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(
            f"{what} is not valid YAML: {problem.text}",
            location=SourceLocation(path, line=line, column=column),
            hint=problem.hint,
        ) from None
    except yaml.YAMLError as error:
        raise InputError(
            f"{what} is not valid YAML: {error}", location=SourceLocation(path)
        ) from None
    except RecursionError:  # PyYAML composes (and we build) nested collections recursively
        raise InputError(
            f"{what} nests lists or mappings too deeply to be read",
            location=SourceLocation(path, line=loader.get_mark().line + 1),
        ) from None
    except (ValueError, OverflowError):  # PyYAML's scanner on "\U80000000": chr() out of range
        mark = loader.get_mark()
        raise InputError(
            f"{what} is not valid YAML: an escape sequence names no Unicode character",
            location=SourceLocation(path, line=mark.line + 1, column=mark.column + 1),
        ) from None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, positions=positions)


@dataclass
class _Builder:
    loader: yaml.SafeLoader
    path: Path
    positions: dict[YamlPath, tuple[int, int]]
    seen: set[int] = field(default_factory=set)

    def build(self, node: yaml.Node, at: YamlPath) -> Any:
        if id(node) in self.seen:
            raise self._error(node, "YAML anchors and aliases are not supported", at)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise self._error(node, f"unsupported tag '{node.tag}'", at)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*at, index)] = _position(item)
                items.append(self.build(item, (*at, index)))
            return items
        return self._scalar(node, at)

    def _scalar(self, node: yaml.Node, at: YamlPath) -> Any:
        # PyYAML's constructors assume the value matched their tag's pattern, which only the
        # implicit resolver checks: `!!timestamp 'x'` or `!!bool 'x'` would crash them.
        if node.tag.startswith(_CORE_TAG_PREFIX) and node.tag not in _ANY_VALUE_TAGS:
            resolver: Any = self.loader  # PyYAML's stubs leave resolve() untyped
            implicit = resolver.resolve(yaml.ScalarNode, node.value, (True, False))
            if implicit != node.tag:
                raise self._error(node, f"the value does not match its tag '{node.tag}'", at)
        try:
            return self._checked_text(node, self.loader.construct_object(node, deep=True), at)
        except yaml.constructor.ConstructorError as error:
            raise self._error(node, f"unsupported value: {error.problem}", at) from None
        except ValueError as error:  # e.g. a date that does not exist: 2027-02-30
            raise self._error(node, _invalid_value(node, error), at) from None

    def _mapping(self, node: yaml.MappingNode, at: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise self._error(key_node, "keys must be plain strings (no merge keys)", at)
            key = str(self._scalar(key_node, at))
            if key in result:
                raise self._error(key_node, f"duplicate key '{key}'", (*at, key))
            self.positions[(*at, key)] = _position(key_node)
            result[key] = self.build(value_node, (*at, key))
        return result

    def _checked_text(self, node: yaml.Node, value: Any, at: YamlPath) -> Any:
        """`value`, unless it is text holding a lone surrogate (a `"\\ud800"` escape): no
        UTF-8 file or report could hold it, so it is refused here, where it was written."""
        if isinstance(value, str) and _SURROGATE.search(value):
            raise self._error(
                node,
                "the text holds a lone surrogate escape (\\uD800-\\uDFFF), "
                "which is not a character",
                at,
            )
        return value

    def _error(self, node: yaml.Node, message: str, at: YamlPath) -> InputError:
        line, column = _position(node)
        key = ".".join(str(part) for part in at) or None
        return InputError(
            message, location=SourceLocation(self.path, line=line, column=column, key=key)
        )


_QUOTED_CHARACTERS = 40


def _invalid_value(node: yaml.Node, error: ValueError) -> str:
    """Why a scalar's constructor refused it, quoting no more than its start: an integer of
    thousands of digits (past CPython's limit on converting them) would fill the terminal, and
    its error tells the user to call a Python function."""
    written = str(node.value)
    if node.tag == "tag:yaml.org,2002:int" and len(written) > sys.get_int_max_str_digits():
        return f"a number too long to be read ({len(written):,} characters)"
    if len(written) > _QUOTED_CHARACTERS:
        written = written[:_QUOTED_CHARACTERS] + "…"
    return f"invalid value '{written}': {error}"


def _offset_location(text: str, offset: int, path: Path) -> SourceLocation:
    before = text[:offset]
    line_start = before.rfind("\n") + 1
    return SourceLocation(path, line=before.count("\n") + 1, column=offset - line_start + 1)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
