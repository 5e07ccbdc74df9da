"""The mark of a model whose fields are documented by the docstring under each of them."""

from __future__ import annotations


class DocumentedFields:
    """Base of a model whose field docstrings are the fields' meanings in the published
    reference (the JSON Schemas and `docs/reference.md`). They are read from the source only
    when the reference is generated (`governance.reference.field_docs`), never when the model
    is built, so that no command pays for parsing the models' source at start-up."""
