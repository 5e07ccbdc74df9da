"""`--inputs`: re-hash the audit's inputs now and name every file changed since the audit."""

from __future__ import annotations

from pathlib import Path

from governance.engine.run import hash_manifest_inputs
from governance.signing.attestation import AttestedAudit
from governance.signing.verification.outcome import VerificationCheck


def check_inputs(manifest: Path | None, attested: AttestedAudit | None) -> VerificationCheck:
    if manifest is None:
        return VerificationCheck.skipped("inputs", "no --inputs given: inputs not re-hashed")
    if attested is None:
        return VerificationCheck.failed("inputs", "no verified attestation to compare with")
    current = {f.path: f.sha256 for f in hash_manifest_inputs(manifest)}
    changed = sorted(
        p for p in attested.inputs if p in current and current[p] != attested.inputs[p]
    )
    missing = sorted(p for p in attested.inputs if p not in current)
    added = sorted(p for p in current if p not in attested.inputs)
    problems = [f"{p} changed" for p in changed]
    problems += [f"{p} is no longer an input" for p in missing]
    problems += [f"{p} was not an input of the audit" for p in added]
    if problems:
        return VerificationCheck.failed("inputs", "; ".join(problems))
    return VerificationCheck.passed(
        "inputs", f"{len(current)} input files unchanged since the audit"
    )
