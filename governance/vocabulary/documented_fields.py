"""Fields documented by the docstring written under each of them, for the published reference
only: the models do not extract docstrings when they are built (pydantic's
`use_attribute_docstrings` reads and parses every model's source in every process), so
`documented_schema` adds them to the JSON Schema it generates."""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import core_schema


class DocumentedFields:
    """Base of a model whose field docstrings are the fields' meanings in the published
    reference (the JSON Schemas and `docs/reference.md`). They are read from the source only
    when a schema is generated with `documented_schema`, never when the model is built."""


@cache
def attribute_docstrings(cls: type) -> dict[str, str]:
    """The docstring of each field annotated in `cls`'s own body: a string written as the
    statement right after `name: type` (or `name: type = default`), cleaned as `inspect`
    cleans docstrings. Empty when the source cannot be read."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    body = next(
        node for node in ast.parse(textwrap.dedent(source)).body if isinstance(node, ast.ClassDef)
    ).body
    return {
        statement.target.id: inspect.cleandoc(following.value.value)
        for statement, following in zip(body, body[1:], strict=False)
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
    }


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The docstring of each of `model`'s fields, from the nearest class that annotates it."""
    found: dict[str, str] = {}
    for name in model.model_fields:
        for cls in model.__mro__:
            if name in vars(cls).get("__annotations__", {}):
                if name in (docs := attribute_docstrings(cls)):
                    found[name] = docs[name]
                break
    return found


class DocumentedSchema(GenerateJsonSchema):
    """JSON Schema generation that gives each property of a `DocumentedFields` model the
    docstring of its field, unless the field states a `description` itself."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        model = schema["cls"]
        properties = json_schema.get("properties", {})
        if issubclass(model, BaseModel) and issubclass(model, DocumentedFields):
            for name, docstring in field_docstrings(model).items():
                if name in properties and "description" not in properties[name]:
                    # As for a stated description: dropped beside a `$ref` when it only repeats
                    # the referenced model's own.
                    properties[name] = self.handle_ref_overrides(
                        {**properties[name], "description": docstring}
                    )
        return json_schema


def documented_schema(
    model: type[BaseModel], mode: JsonSchemaMode = "validation"
) -> dict[str, Any]:
    """`model`'s JSON Schema with every field's docstring as its description."""
    return model.model_json_schema(schema_generator=DocumentedSchema, mode=mode)
