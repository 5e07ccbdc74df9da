"""The documentation rules of an audit on their own: model cards and datasheets checked
without reading a dataset or the model, fast enough for a pre-commit hook."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from governance.checks.context import CheckContext
from governance.data.store import DatasetStore
from governance.engine.audit_definition import load_audit_definition
from governance.engine.environment import audit_time, waiver_day
from governance.engine.result import RuleResult
from governance.engine.run import run_rule
from governance.engine.waiving import apply_waivers

DOCUMENTATION = "documentation"


def check_documents(manifest_path: Path, *, allowed: Iterable[Path] = ()) -> tuple[RuleResult, ...]:
    """The outcome of each documentation rule of the audit `manifest_path` describes, its
    waivers applied as in a full audit. The manifest, its policies and its waivers are
    validated as a whole first (any mistake is an InputError)."""
    definition = load_audit_definition(manifest_path, allowed=allowed)
    manifest, policies = definition.manifest, definition.policies
    store = DatasetStore(manifest.manifest.datasets)  # never read: documentation rules read files
    context = CheckContext(manifest=manifest, data=store)
    try:
        results = tuple(
            run_rule(rule, policies, manifest, context)
            for rule in policies.rules
            if rule.kind == DOCUMENTATION
        )
    finally:
        context.resources.close()
        store.close()
    waived, _ = apply_waivers(results, definition.waivers, waiver_day(audit_time()))
    return waived
