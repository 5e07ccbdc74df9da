"""`audit.json`: the result itself, in the published schema (`schemas/audit-result.schema.json`)."""

from __future__ import annotations

from governance.engine.result import AuditResult


def render_json(result: AuditResult) -> str:
    return result.model_dump_json(indent=2) + "\n"
