"""Running an audit: load → check every rule → apply waivers → one `AuditResult`."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from governance.checks.registry import CHECKS
from governance.data.store import DatasetStore
from governance.engine.context import CheckContext, DocumentCache
from governance.engine.environment import audit_time, date_is_pinned, tool_info, waiver_day
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
from governance.errors import (
    CheckCannotRun,
    CheckSkipped,
    GovernanceError,
    InputError,
    SourceLocation,
)
from governance.hashing import file_sha256
from governance.manifest import LoadedManifest, load_manifest, referenced_files
from governance.policy.loader import PolicySet, load_policy_set
from governance.policy.model import Rule
from governance.severity import Severity
from governance.waivers import load_waivers

_MAX_REASON = 300
_QUOTED = re.compile(r"""(['"`]).*?\1""")


def errored_reason(error: Exception) -> str:
    """Why a check crashed, safe to publish: library errors often quote the offending value,
    which may be personal data, so quoted text is withheld and the message is cut short."""
    first_line = (str(error).splitlines() or [""])[0]
    return f"{type(error).__name__}: {_QUOTED.sub('<value withheld>', first_line)}"[:_MAX_REASON]


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
    policies = _load_policies(manifest)
    waivers = (
        load_waivers(manifest.manifest.waivers, frozenset(rule.id for rule in policies.rules))
        if manifest.manifest.waivers
        else ()
    )
    _check_references(policies, manifest)
    loaded = time.perf_counter()
    states = _file_states(_input_files(manifest, policies))
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
    _check_unchanged(states, manifest)
    checked = time.perf_counter()
    results, waiver_records = apply_waivers(results, waivers, waiver_day(created_at))
    if date_is_pinned():
        # A reproducible run: the same inputs must give the same audit.json and report.pdf
        # byte for byte, so durations (which vary run to run) are recorded as zero.
        results = tuple(r.model_copy(update={"duration_seconds": 0.0}) for r in results)
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
        timings=_timings(started, loaded, hashed, checked),
    )


def _timings(started: float, loaded: float, hashed: float, checked: float) -> Timings:
    if date_is_pinned():
        return Timings(load_seconds=0, hash_seconds=0, checks_seconds=0, total_seconds=0)
    return Timings(
        load_seconds=loaded - started,
        hash_seconds=hashed - loaded,
        checks_seconds=checked - hashed,
        total_seconds=time.perf_counter() - started,
    )


def hash_manifest_inputs(manifest_path: Path) -> tuple[InputFile, ...]:
    """The inputs an audit of `manifest_path` would record, hashed now, named as in reports
    (used by `governance verify --inputs` to find files changed since an audit)."""
    manifest = load_manifest(manifest_path)
    return tuple(_hash_inputs(manifest, _load_policies(manifest)))


def _load_policies(manifest: LoadedManifest) -> PolicySet:
    referrers = tuple(
        manifest.document.locate(("policies", index))
        for index in range(len(manifest.manifest.policies))
    )
    return load_policy_set(manifest.manifest.policies, manifest.base_dir, referrers)


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
    except InputError as error:  # the user's mistake, found while checking: name the rule
        raise InputError(
            f"rule '{rule.id}': {error.message}",
            location=error.location or SourceLocation(origin.path, line=origin.line, key=rule.kind),
            hint=error.hint,
        ) from None
    except GovernanceError:
        raise
    except CheckCannotRun as cannot:
        return RuleResult(
            **base,
            outcome=Outcome.ERRORED,
            reason=cannot.reason,
            duration_seconds=time.perf_counter() - started,
        )
    except Exception as error:  # a crashing check is errored, never passed
        return RuleResult(
            **base,
            outcome=Outcome.ERRORED,
            reason=errored_reason(error),
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


def _input_files(manifest: LoadedManifest, policies: PolicySet) -> dict[Path, str]:
    """Every input file of the audit (each once) and its role."""
    files: dict[Path, str] = {}
    for role, path in [
        ("manifest", manifest.path),
        *(("policy", source.path) for source in policies.sources),
        *((role, path) for role, _, path in referenced_files(manifest.manifest)),
    ]:
        files.setdefault(path.resolve(), role)
    return files


def _hash_inputs(manifest: LoadedManifest, policies: PolicySet) -> Iterator[InputFile]:
    for path, role in _input_files(manifest, policies).items():
        digest, size = file_sha256(path)
        yield InputFile(
            role=role, path=_display(path, manifest, policies), sha256=digest, size=size
        )


FileState = tuple[int, int]


def _file_states(paths: Iterable[Path]) -> dict[Path, FileState]:
    states = {}
    for path in paths:
        status = path.stat()
        states[path] = (status.st_size, status.st_mtime_ns)
    return states


def _check_unchanged(before: dict[Path, FileState], manifest: LoadedManifest) -> None:
    """The recorded sha256 must be that of the data checked: an input that changed between
    hashing and the end of the checks makes the audit meaningless, so it stops."""
    after = _file_states(before)
    for path, state in before.items():
        if after[path] != state:
            raise InputError(
                f"{manifest.display_path(path)} changed while it was being audited",
                location=SourceLocation(path),
                hint="run the audit again once the file is no longer being written",
            )


def _display(path: Path, manifest: LoadedManifest, policies: PolicySet) -> str:
    """How reports name a file: `builtin:NAME` for a shipped pack, else relative to the
    manifest's folder, so reports do not depend on where the audit ran."""
    for source in policies.sources:
        if source.builtin and source.path == path:
            return source.reference
    return manifest.display_path(path)
