"""JSON Schemas of the files a user writes (manifest, policy, waivers), generated from the
models that validate them, so that an editor completes and checks keys as the user types."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from governance.catalogs.loading import CatalogFile
from governance.checks.registry import CHECKS
from governance.manifest import Manifest
from governance.policy.model import PolicyFile
from governance.vocabulary.documented_fields import documented_schema
from governance.waivers import WaiverFile

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class InputFile:
    """A kind of file the user writes, and the model that reads it."""

    name: str
    """`manifest`, `policy`, `waivers` or `catalog`: how commands and file names call it."""
    title: str
    model: type[BaseModel]

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


INPUT_FILES: tuple[InputFile, ...] = (
    InputFile("manifest", "Audit manifest (audit.yaml)", Manifest),
    InputFile("policy", "Policy", PolicyFile),
    InputFile("waivers", "Waivers file (waivers.yaml)", WaiverFile),
    InputFile("catalog", "Control catalog", CatalogFile),
)


def input_schema(kind: InputFile) -> dict[str, Any]:
    """The JSON Schema of one kind of input file, as the user writes it."""
    schema = documented_schema(kind.model)
    for definition in schema.get("$defs", {}).values():
        if definition.get("title") in _CHECK_SPEC_TITLES:
            # The tag of a check block is the key the block is written under, never written.
            definition["properties"].pop("kind", None)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:governance:schema:{kind.name}",
        **schema,
        "title": kind.title,
    }


def render_input_schema(kind: InputFile) -> str:
    return json.dumps(input_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_CHECK_SPEC_TITLES = frozenset(kind.spec.__name__ for kind in CHECKS.values())
