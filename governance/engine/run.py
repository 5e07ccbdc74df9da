"""Running an audit: load → check every rule → apply waivers → one `AuditResult`."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from governance.checks.registry import CHECKS
from governance.data.store import DatasetStore
from governance.engine.context import CheckContext, DocumentCache
from governance.engine.environment import audit_time, tool_info
from governance.engine.result import (
    AuditInfo,
    AuditResult,
    InputFile,
    Outcome,
    PolicyInfo,
    RuleOriginInfo,
    RuleResult,
    Timings,
)
from governance.engine.waiving import apply_waivers
from governance.errors import CheckSkipped, GovernanceError, InputError, SourceLocation
from governance.hashing import file_sha256
from governance.manifest import LoadedManifest, load_manifest
from governance.policy.loader import PolicySet, load_policy_set
from governance.policy.model import Rule
from governance.severity import Severity
from governance.waivers import load_waivers

_MAX_REASON = 500


def run_audit(
    manifest_path: Path,
    *,
    fail_on: Severity = Severity.HIGH,
    frames: Mapping[str, Any] | None = None,
    nlp_model: str | None = None,
) -> AuditResult:
    """Audit what `manifest_path` describes. `frames` supplies datasets in memory by name;
    `nlp_model` names an installed spaCy model for PII scanning (overrides the manifest's).

    Raises `GovernanceError` for the user's mistakes; a check that crashes makes its rule
    *errored* instead.
    """
    started = time.perf_counter()
    created_at = audit_time()
    manifest = load_manifest(manifest_path, in_memory=frozenset(frames or {}))
    referrers = tuple(
        manifest.document.locate(("policies", index))
        for index in range(len(manifest.manifest.policies))
    )
    policies = load_policy_set(manifest.manifest.policies, manifest.base_dir, referrers)
    waivers = load_waivers(manifest.manifest.waivers) if manifest.manifest.waivers else ()
    _check_references(policies, manifest)
    loaded = time.perf_counter()
    inputs = tuple(_hash_inputs(manifest, policies))
    hashed = time.perf_counter()
    store = DatasetStore(manifest.manifest.datasets, frames)
    context = CheckContext(
        manifest=manifest,
        data=store,
        documents=DocumentCache(),
        nlp_model=nlp_model or manifest.manifest.nlp_model,
    )
    try:
        results = tuple(_run_rule(rule, policies, manifest, context) for rule in policies.rules)
    finally:
        context.resources.close()
        store.close()
    checked = time.perf_counter()
    results, waiver_records = apply_waivers(results, waivers, created_at.date())
    return AuditResult(
        audit=AuditInfo(
            name=manifest.manifest.name,
            description=manifest.manifest.description,
            manifest=manifest.path.name,
            created_at=created_at,
            fail_on=fail_on,
        ),
        tool=tool_info(),
        policies=tuple(
            PolicyInfo(
                name=source.name,
                version=source.version,
                reference=_display(source.path, manifest, policies),
                builtin=source.builtin,
            )
            for source in policies.sources
        ),
        inputs=inputs,
        rules=results,
        waivers=waiver_records,
        timings=Timings(
            load_seconds=loaded - started,
            hash_seconds=hashed - loaded,
            checks_seconds=checked - hashed,
            total_seconds=time.perf_counter() - started,
        ),
    )


def _run_rule(
    rule: Rule, policies: PolicySet, manifest: LoadedManifest, context: CheckContext
) -> RuleResult:
    origin = policies.origins[rule.id]
    base = {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "kind": rule.kind,
        "controls": rule.controls,
        "description": rule.description,
        "remediation": rule.remediation,
        "origin": RuleOriginInfo(
            policy=origin.policy,
            path=_display(origin.path, manifest, policies),
            line=origin.line,
        ),
    }
    started = time.perf_counter()
    try:
        report = CHECKS[rule.kind].run(rule.check, context)
    except CheckSkipped as skipped:
        return RuleResult(
            **base,
            outcome=Outcome.SKIPPED,
            reason=skipped.reason,
            duration_seconds=time.perf_counter() - started,
        )
    except GovernanceError:
        raise
    except Exception as error:  # a crashing check is errored, never passed
        reason = f"{type(error).__name__}: {error}"[:_MAX_REASON]
        return RuleResult(
            **base,
            outcome=Outcome.ERRORED,
            reason=reason,
            duration_seconds=time.perf_counter() - started,
        )
    return RuleResult(
        **base,
        outcome=Outcome.FAILED if report.findings else Outcome.PASSED,
        findings=report.findings,
        evidence=report.evidence,
        duration_seconds=time.perf_counter() - started,
    )


def _check_references(policies: PolicySet, manifest: LoadedManifest) -> None:
    """Every dataset a rule names explicitly must be in the manifest."""
    for rule in policies.rules:
        for name in rule.check.referenced_datasets():
            if name not in manifest.manifest.datasets:
                origin = policies.origins[rule.id]
                known = ", ".join(manifest.manifest.datasets) or "none"
                raise InputError(
                    f"rule '{rule.id}' names dataset '{name}', which the manifest does not "
                    f"declare (datasets: {known})",
                    location=SourceLocation(
                        origin.path, line=origin.line, key=f"{rule.kind}.datasets"
                    ),
                )


def _hash_inputs(manifest: LoadedManifest, policies: PolicySet) -> Iterator[InputFile]:
    m = manifest.manifest
    files: list[tuple[str, Path]] = [("manifest", manifest.path)]
    files += [("policy", s.path) for s in policies.sources]
    if m.waivers:
        files.append(("waivers", m.waivers))
    if m.model.card:
        files.append(("model_card", m.model.card))
    if m.model.artifact:
        files.append(("model_artifact", m.model.artifact))
    for dataset in m.datasets.values():
        if dataset.path:
            files.append(("dataset", dataset.path))
        if dataset.datasheet:
            files.append(("datasheet", dataset.datasheet))
    seen: set[Path] = set()
    for role, path in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        digest, size = file_sha256(path)
        yield InputFile(
            role=role, path=_display(path, manifest, policies), sha256=digest, size=size
        )


def _display(path: Path, manifest: LoadedManifest, policies: PolicySet) -> str:
    """How reports name a file: `builtin:NAME` for a shipped pack, else relative to the
    manifest's folder, so reports do not depend on where the audit ran."""
    for source in policies.sources:
        if source.builtin and source.path == path:
            return source.reference
    return manifest.display_path(path)
