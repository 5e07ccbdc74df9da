"""`--inputs`: re-hash the audit's inputs now and name every file changed since the audit."""

from __future__ import annotations

from pathlib import Path

from governance.engine.input_files import hash_manifest_inputs
from governance.errors import InputError, UsageError
from governance.manifest import MEMORY_PREFIX
from governance.signing.attestation import AttestedAudit
from governance.signing.verification.outcome import VerificationCheck


def check_inputs(
    manifest: Path | None, attested: AttestedAudit | None, allow_paths: tuple[Path, ...] = ()
) -> VerificationCheck:
    if manifest is None:
        return VerificationCheck.skipped("inputs", "no --inputs given: inputs not re-hashed")
    if not manifest.is_file():
        raise UsageError(f"--inputs: {manifest} is not a file")
    if attested is None:
        return VerificationCheck.failed("inputs", "no verified attestation to compare with")
    # A dataset passed in memory has no file to re-hash: its digest is of the frame audited;
    # a Spark table or URI is recorded by identity, its content not hashed.
    in_memory = {p for p in attested.inputs if p.startswith(MEMORY_PREFIX)}
    by_identity = {p for p in attested.inputs if p.startswith(("spark-table:", "spark-uri:"))}
    try:
        hashed = hash_manifest_inputs(
            manifest,
            allowed=allow_paths,
            in_memory=frozenset(p.removeprefix(MEMORY_PREFIX) for p in in_memory),
        )
        current = {f.path: f.sha256 for f in hashed}
    except InputError as error:
        # a deleted or broken input is a change since the audit, not a usage mistake
        return VerificationCheck.failed(
            "inputs", f"cannot re-hash the inputs: {error.diagnostics()}"
        )
    changed = [
        p for p in sorted(attested.inputs) if p in current and current[p] != attested.inputs[p]
    ]
    problems = [f"{p} changed" for p in changed]
    problems += [
        f"{p} is no longer an input"
        for p in sorted(set(attested.inputs) - set(current) - in_memory - by_identity)
    ]
    problems += [
        f"{p} was not an input of the audit" for p in sorted(set(current) - set(attested.inputs))
    ]
    if problems:
        return VerificationCheck.failed("inputs", "; ".join(problems))
    # What was never a file's content is named, so "unchanged" is not read as covering it.
    unchecked = [
        f"; {what}: {', '.join(sorted(names))}"
        for what, names in (
            ("audited in memory, not re-hashed", in_memory),
            ("recorded by identity, not re-checked", by_identity),
        )
        if names
    ]
    return VerificationCheck.passed(
        "inputs", f"{len(current)} input files unchanged since the audit{''.join(unchecked)}"
    )
