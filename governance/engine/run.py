"""Running an audit: load → check every rule → apply waivers → one `AuditResult`."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from governance.checks.audit_resources import AuditResources
from governance.checks.context import CheckContext, Measured
from governance.checks.documentation.document_cache import audit_documents
from governance.checks.registry import CHECKS
from governance.data.spark.session import SparkOptions
from governance.engine.audit_definition import load_audit_definition
from governance.engine.data_engines import open_data_engine, with_digest_notes
from governance.engine.declared_columns import check_declared_columns
from governance.engine.environment import (
    audit_runner,
    audit_time,
    date_is_pinned,
    tool_info,
    waiver_day,
)
from governance.engine.framework_coverage import (
    audit_citations,
    check_framework_names,
    framework_coverage,
)
from governance.engine.git_reader import read_source_control
from governance.engine.input_files import (
    check_unchanged,
    display_name,
    file_states,
    frame_inputs,
    hash_inputs,
    input_files,
)
from governance.engine.model_card_record import model_card_info
from governance.engine.model_record import model_info
from governance.engine.result import (
    AuditInfo,
    AuditResult,
    ModelCardInfo,
    PolicyInfo,
    RuleInfo,
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
    InputFileError,
    SourceLocation,
)
from governance.manifest import LoadedManifest
from governance.model.scoring import ModelScorer
from governance.model.source import ModelSource
from governance.policy.loader import BUILTIN_PREFIX, PolicySet
from governance.policy.model import Rule
from governance.severity import FailOn

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
    fail_on: FailOn = FailOn.HIGH,
    frames: Mapping[str, Any] | None = None,
    nlp_model: str | None = None,
    run_by: str | None = None,
    allow_paths: Iterable[Path] = (),
    formats: Iterable[str] = (),
    signed: bool = False,
    frameworks: Iterable[str] = (),
    spark: SparkOptions | None = None,
) -> AuditResult:
    """Audit what `manifest_path` describes, reading files only inside its folder and the
    `allow_paths` folders. `frames` supplies datasets in memory by name (recorded with the
    digest of what was audited);
    `nlp_model` names an installed spaCy model for PII scanning (overrides the manifest's);
    `run_by` names who runs it (by default `GOVERNANCE_RUN_BY`, else the login name);
    `formats` and `signed` record the reports asked for, for the report's reproduce command;
    `frameworks` names frameworks whose coverage the result shows even if no rule cites them;
    `spark` is what the command line says of Spark (master, allowed URIs) over the manifest.

    Raises `GovernanceError` for the user's mistakes; a check that crashes makes its rule
    *errored* instead.
    """
    started = time.perf_counter()
    created_at = audit_time()
    runner = audit_runner(run_by)
    in_memory = frozenset(frames or {})
    definition = load_audit_definition(manifest_path, allowed=allow_paths, in_memory=in_memory)
    manifest, policies = definition.manifest, definition.policies
    named_frameworks = tuple(dict.fromkeys(frameworks))
    check_framework_names(policies.catalog, named_frameworks)
    loaded = time.perf_counter()
    files = input_files(manifest, policies, in_memory)
    states = file_states(files)
    # One model per audit: the datasets are scored with the one checks see.
    model = ModelSource(manifest)
    resources = AuditResources()
    resources.shared(ModelSource, lambda: model)
    data = open_data_engine(manifest, frames, ModelScorer(model, manifest), spark or SparkOptions())
    store = data.engine
    context = CheckContext(
        manifest=manifest,
        data=store,
        resources=resources,
        nlp_model=nlp_model or manifest.manifest.nlp_model,
    )
    try:
        check_declared_columns(manifest, store)
        inputs = with_digest_notes(
            hash_inputs(files, manifest, policies)
            + frame_inputs(manifest, store)
            + data.source_inputs(manifest)
        )
        hashed = time.perf_counter()
        results = _run_rules(policies, manifest, context)
        card = _model_card(manifest, policies, context)
    finally:
        context.resources.close()
        store.close()
    check_unchanged(states, manifest)
    checked = time.perf_counter()
    source_control = read_source_control(
        manifest.path.parent,
        [
            (path, shown.path)
            for path, shown in zip(files, inputs, strict=False)
            if not shown.path.startswith("builtin:")
        ],
    )
    results, waiver_records = apply_waivers(results, definition.waivers, waiver_day(created_at))
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
            run_by=runner,
            formats=tuple(formats),
            signed=signed,
            nlp_model=nlp_model,
            frameworks=named_frameworks,
        ),
        tool=tool_info(context.nlp_model),
        policies=tuple(
            PolicyInfo(
                name=source.name,
                version=source.version,
                reference=display_name(source.path, manifest, policies),
                builtin=source.builtin,
            )
            for source in policies.sources
        ),
        inputs=inputs,
        rules=results,
        waivers=waiver_records,
        model=model_info(model),
        frameworks=framework_coverage(
            policies.catalog,
            audit_citations(results),
            named=named_frameworks,
            by_report=policies.covered_by_report,
            report_signed=signed,
        ),
        model_card=card,
        source_control=source_control,
        timings=_timings(started, loaded, hashed, checked),
    )


def _run_rules(
    policies: PolicySet, manifest: LoadedManifest, context: CheckContext
) -> tuple[RuleResult, ...]:
    """Every rule, in policy order; the kinds that compare declarations with measurements run
    last, with the evidence of the others."""
    later = {rule.id for rule in policies.rules if CHECKS[rule.kind].reads_measurements}
    results = {
        rule.id: run_rule(rule, policies, manifest, context)
        for rule in policies.rules
        if rule.id not in later
    }
    if later:
        measured = tuple(
            Measured(rule_id, result.evidence)
            for rule_id, result in results.items()
            if result.evidence is not None
        )
        with_measurements = replace(context, measured=measured)
        for rule in policies.rules:
            if rule.id in later:
                results[rule.id] = run_rule(rule, policies, manifest, with_measurements)
    return tuple(results[rule.id] for rule in policies.rules)


def _model_card(
    manifest: LoadedManifest, policies: PolicySet, context: CheckContext
) -> ModelCardInfo | None:
    """The card's fields for the reports, from the parse the documentation rules share."""
    spec = manifest.manifest.model
    if spec is None or spec.card is None:
        return None
    document = audit_documents(context).markdown(spec.card)
    return model_card_info(display_name(spec.card, manifest, policies), document)


def _timings(started: float, loaded: float, hashed: float, checked: float) -> Timings:
    if date_is_pinned():
        return Timings(load_seconds=0, hash_seconds=0, checks_seconds=0, total_seconds=0)
    return Timings(
        load_seconds=loaded - started,
        hash_seconds=hashed - loaded,
        checks_seconds=checked - hashed,
        total_seconds=time.perf_counter() - started,
    )


def run_rule(
    rule: Rule, policies: PolicySet, manifest: LoadedManifest, context: CheckContext
) -> RuleResult:
    origin = policies.origins[rule.id]
    info = RuleInfo(
        id=rule.id,
        title=rule.title,
        severity=rule.severity,
        kind=rule.kind,
        controls=rule.controls,
        description=rule.description,
        remediation=rule.remediation,
        origin=RuleOriginInfo(
            policy=origin.policy,
            path=display_name(origin.path, manifest, policies),
            line=origin.line,
        ),
    )
    started = time.perf_counter()
    try:
        report = CHECKS[rule.kind].check.run(rule.check, context)
    except CheckSkipped as skipped:
        return RuleResult.skipped(info, reason=skipped.reason, duration_seconds=_since(started))
    except InputFileError:
        raise
    except InputError as error:  # the user's mistake, found while checking: name the rule
        policy = display_name(origin.path, manifest, policies)  # builtin:NAME for a pack
        if error.location is None:  # at the rule
            shown = policy if policy.startswith(BUILTIN_PREFIX) else origin.path
            location = SourceLocation(shown, line=origin.line, key=rule.kind)
            message = f"rule '{rule.id}': {error.message}"
        else:  # at what the check found wrong (a manifest line), then at the rule
            location = error.location
            message = f"rule '{rule.id}' ({policy}, line {origin.line}): {error.message}"
        raise InputError(message, location=location, hint=error.hint) from None
    except GovernanceError:
        raise
    except CheckCannotRun as cannot:
        return RuleResult.errored(info, reason=cannot.reason, duration_seconds=_since(started))
    except Exception as error:  # a crashing check is errored, never passed
        reason = errored_reason(error)
        return RuleResult.errored(info, reason=reason, duration_seconds=_since(started))
    duration = _since(started)
    if report.findings:
        return RuleResult.failed(
            info,
            findings=report.findings,
            evidence=report.evidence,
            notes=report.notes,
            duration_seconds=duration,
        )
    if not rule.check.gates:  # no threshold: the figures are reported, nothing passed
        return RuleResult.reported(
            info, evidence=report.evidence, notes=report.notes, duration_seconds=duration
        )
    return RuleResult.passed(
        info, evidence=report.evidence, notes=report.notes, duration_seconds=duration
    )


def _since(started: float) -> float:
    return time.perf_counter() - started
