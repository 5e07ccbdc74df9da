"""A dataset's Croissant metadata (JSON-LD): its Responsible-AI properties, by full IRI.

Croissant files carry their JSON-LD context inline, so the compact names of the dataset's own
properties (`rai:dataBiases`) expand with the prefixes that context defines; nothing is fetched.
Only the dataset node's top-level properties are read, so this is the whole of JSON-LD
expansion the checks need: a property written as a compact IRI, as a full IRI, or as a term the
context maps to one, all name the same RAI property."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.errors import InputError, SourceLocation
from governance.json_documents import parse_json
from governance.text_files import read_text_file

RAI_NAMESPACE = "http://mlcommons.org/croissant/RAI/"

RAI_PROPERTIES: tuple[str, ...] = (
    "dataCollection",
    "dataCollectionType",
    "dataCollectionMissingData",
    "dataCollectionRawData",
    "dataCollectionTimeframe",
    "dataPreprocessingProtocol",
    "dataImputationProtocol",
    "dataManipulationProtocol",
    "dataReleaseMaintenancePlan",
    "personalSensitiveInformation",
    "dataAnnotationProtocol",
    "dataAnnotationPlatform",
    "dataAnnotationAnalysis",
    "annotationsPerItem",
    "annotatorDemographics",
    "machineAnnotationTools",
    "dataSocialImpact",
    "dataBiases",
    "dataLimitations",
    "dataUseCases",
)
"""The dataset-level properties of the Croissant RAI vocabulary 1.0 (`croissant_rai.ttl`)."""


def rai_iri(name: str) -> str | None:
    """The full IRI of an RAI property written `rai:x` or as its full IRI; None otherwise."""
    local = name.removeprefix("rai:").removeprefix(RAI_NAMESPACE)
    return RAI_NAMESPACE + local if local != name and local in RAI_PROPERTIES else None


@dataclass(frozen=True)
class CroissantProperty:
    key: str
    """The key as written in the file."""
    value: Any
    line: int

    @property
    def pointer(self) -> str:
        """The property's JSON pointer (RFC 6901) in the file."""
        return "/" + self.key.replace("~", "~0").replace("/", "~1")

    def texts(self) -> tuple[str, ...]:
        """Its text values: a string or a JSON-LD value object, or a list of them (the RAI
        properties' range is text; anything else holds no text)."""
        items = self.value if isinstance(self.value, list) else [self.value]
        return tuple(text for item in items if (text := _text(item)) is not None)


@dataclass(frozen=True)
class CroissantDocument:
    path: Path
    properties: Mapping[str, CroissantProperty]
    """The dataset node's properties, by full IRI."""

    def rai(self, name: str) -> CroissantProperty | None:
        """The RAI property `name` (`rai:x` or its full IRI)."""
        iri = rai_iri(name)
        return None if iri is None else self.properties.get(iri)


def read_croissant(path: Path) -> CroissantDocument:
    """The file's dataset node; a file that is not JSON, not one JSON-LD object, or whose
    context does not bind the RAI vocabulary is an `InputError` at its line and key."""
    text = read_text_file(path, "Croissant file")
    data = parse_json(text, path, "the Croissant file")
    if not isinstance(data, dict):
        raise InputError(
            "the Croissant file must be one JSON-LD object (the dataset)",
            location=SourceLocation(path, line=1),
        )
    lines = _key_lines(text)
    prefixes = _prefixes(path, lines, data.get("@context"))
    if RAI_NAMESPACE not in prefixes.values():
        raise InputError(
            f"the Croissant file's @context does not bind the RAI vocabulary ({RAI_NAMESPACE})",
            location=SourceLocation(path, line=lines.get("@context", 1), key="@context"),
            hint=f'add "rai": "{RAI_NAMESPACE}" to the @context',
        )
    properties: dict[str, CroissantProperty] = {}
    for key, value in data.items():
        if not key.startswith("@"):
            properties.setdefault(
                _expand(key, prefixes), CroissantProperty(key, value, lines.get(key, 1))
            )
    return CroissantDocument(path=path, properties=properties)


def _prefixes(path: Path, lines: Mapping[str, int], context: Any) -> dict[str, str]:
    """The terms and prefixes the inline context defines (a remote context is not fetched)."""
    contexts = context if isinstance(context, list) else [context]
    prefixes: dict[str, str] = {}
    for item in contexts:
        if isinstance(item, dict):
            for term, definition in item.items():
                iri = definition.get("@id") if isinstance(definition, dict) else definition
                if isinstance(iri, str):
                    prefixes[term] = iri
        elif item is not None and not isinstance(item, str):
            raise InputError(
                "the Croissant file's @context must be an object, a URL or a list of them",
                location=SourceLocation(path, line=lines.get("@context", 1), key="@context"),
            )
    return prefixes


def _expand(key: str, prefixes: Mapping[str, str]) -> str:
    if key in prefixes:
        return prefixes[key]
    prefix, colon, rest = key.partition(":")
    if colon and not rest.startswith("//") and prefix in prefixes:
        return prefixes[prefix] + rest
    return key


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?')
"""Every string of the (valid) JSON text, a key when a colon follows: matched one after the
other, so no search starts inside a string (from each quote of a value of escaped quotes,
`\\"\\"...`, a key pattern read to the end of the value: quadratic)."""


def _key_lines(text: str) -> dict[str, int]:
    """The line of the first place each key is written, in one pass over the text (a search
    per key would take time quadratic in the size of a file with many keys)."""
    lines: dict[str, int] = {}
    line, counted = 1, 0
    for match in _STRING.finditer(text):
        if match.group(2) is None:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(json.loads(f'"{match.group(1)}"'), line)
    return lines


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
