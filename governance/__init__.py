"""governance: a policy engine for ML governance and compliance audits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.errors import GovernanceError, InputError
from governance.severity import FailOn, Severity

if TYPE_CHECKING:
    from governance.engine.result import AuditResult, Outcome, RuleResult, Verdict

_RESULT_TYPES = frozenset({"AuditResult", "Outcome", "RuleResult", "Verdict"})

__all__ = [
    "AuditResult",
    "FailOn",
    "GovernanceError",
    "InputError",
    "Outcome",
    "RuleResult",
    "Severity",
    "Verdict",
    "audit",
]


def audit(
    manifest: str | Path,
    *,
    fail_on: FailOn | Severity | str = FailOn.HIGH,
    datasets: Mapping[str, Any] | None = None,
    nlp_model: str | None = None,
    run_by: str | None = None,
    allow_paths: Iterable[str | Path] = (),
    frameworks: Iterable[str] = (),
    baseline: str | Path | None = None,
    baseline_trust: str | Path | None = None,
    spark_master: str | None = None,
    allowed_uris: Iterable[str] = (),
) -> AuditResult:
    """Run the audit `manifest` describes and return its result (nothing is written).

    `datasets` supplies datasets in memory (pandas, polars or pyarrow frames, or PySpark
    DataFrames, which Spark audits where they are) by manifest name;
    such datasets need no `path` in the manifest, and each is recorded as input `memory:NAME`
    with the sha256 of a canonical Arrow IPC serialisation of its columns (a name the manifest
    does not declare is an error). Files named by the manifest, its policies and waivers are
    read only inside the manifest's folder and the `allow_paths` folders. `nlp_model` names
    an installed spaCy model for PII scanning (overrides the manifest's `nlp_model`). `run_by`
    names who runs the audit, for the report's cover (default: `GOVERNANCE_RUN_BY`, else the
    login name). `frameworks` names frameworks (`nist-ai-rmf`) whose coverage the result shows
    even if no rule cites them. `spark_master` and `allowed_uris` are the command line's
    `--spark-master` and `--spark-allow-uri`.

    `baseline` names an earlier audit (its audit.json or report folder), as `audit --baseline`
    does: the result then records which findings the baseline already held, and its gate
    (`gate_failures()`) counts only new findings (the verdict still says what the rules say).
    A signed baseline folder is verified first (against the certificate `baseline_trust` when
    given, else for integrity only) and one that fails verification raises `InputError`; with
    `baseline_trust`, so does an unsigned baseline.
    """
    from governance.data.spark.session import SparkOptions
    from governance.engine.baseline import gated_against
    from governance.engine.run import run_audit

    checked_baseline = None
    if baseline is not None:
        from governance.signing.checked_audits import read_checked_audit

        trust = Path(baseline_trust) if baseline_trust is not None else None
        checked_baseline = read_checked_audit(Path(baseline), trust)
    result = run_audit(
        Path(manifest),
        fail_on=FailOn(fail_on),
        frames=datasets,
        nlp_model=nlp_model,
        run_by=run_by,
        allow_paths=(
            (Path(allow_paths),)  # one folder, not the characters of its name
            if isinstance(allow_paths, str | Path)
            else tuple(Path(folder) for folder in allow_paths)
        ),
        frameworks=(frameworks,) if isinstance(frameworks, str) else tuple(frameworks),
        spark=SparkOptions(
            spark_master,
            (allowed_uris,) if isinstance(allowed_uris, str) else tuple(allowed_uris),
        ),
    )
    return result if checked_baseline is None else gated_against(result, *checked_baseline)


def __getattr__(name: str) -> Any:
    """The result types, imported on first use: every `governance.*` import runs this package
    first, and the result model pulls in every check kind, which a command such as `--help`
    does not need."""
    if name in _RESULT_TYPES:
        return getattr(import_module("governance.engine.result"), name)
    raise AttributeError(f"module 'governance' has no attribute '{name}'")
