"""The JSON Schema of `audit.json`, generated from the `AuditResult` model.

The published copy lives in `schemas/audit-result.schema.json`; a test keeps it equal to the
model. Regenerate it, with every other generated file: `python -m governance.reference`.
"""

from __future__ import annotations

import json
from typing import Any

from governance.engine.result import SCHEMA_VERSION, AuditResult
from governance.vocabulary.documented_fields import documented_schema

SCHEMA_ID = f"urn:governance:schema:audit-result:{SCHEMA_VERSION}"


def audit_result_schema() -> dict[str, Any]:
    schema = documented_schema(AuditResult, mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "description": "governance audit result (audit.json), schema version " + SCHEMA_VERSION,
    }


def render_schema() -> str:
    return json.dumps(audit_result_schema(), indent=2, sort_keys=True) + "\n"
