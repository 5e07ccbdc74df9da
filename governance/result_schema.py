"""The JSON Schema of `audit.json`, generated from the `AuditResult` model.

The published copy lives in `schemas/audit-result.schema.json`; a test keeps it equal to the
model. Regenerate it after changing the result: `python -m governance.result_schema`.
"""

from __future__ import annotations

import json
from typing import Any

from governance.engine.result import SCHEMA_VERSION, AuditResult
from governance.resources import resource_dir

SCHEMA_ID = f"urn:governance:schema:audit-result:{SCHEMA_VERSION}"


def audit_result_schema() -> dict[str, Any]:
    schema = AuditResult.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "description": "governance audit result (audit.json), schema version " + SCHEMA_VERSION,
    }


def render_schema() -> str:
    return json.dumps(audit_result_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    target = resource_dir("schemas") / "audit-result.schema.json"
    target.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {target}")
