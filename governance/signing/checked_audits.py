"""Reading an earlier audit's results for `diff` and `audit --baseline`: a signed report folder
is verified first (as `governance verify` does), and one that fails is refused."""

from __future__ import annotations

from pathlib import Path

from governance.engine.recorded_result import RecordedAudit, audit_json_path, read_recorded_audit
from governance.errors import InputError
from governance.signing.attestation import ATTESTATION_FILE


def read_checked_audit(target: Path, trust: Path | None) -> tuple[RecordedAudit, str]:
    """The audit recorded at `target` (audit.json or its report folder), and how it was
    checked. When the folder holds an attestation, every verification check must hold:
    against `trust` when given, else for integrity only. With `trust`, the folder must be
    signed: else deleting its attestation would let an edited audit.json pass unverified."""
    path = audit_json_path(target)
    folder = path.parent
    if not (folder / ATTESTATION_FILE).is_file():
        if trust is not None:
            raise InputError(
                f"{folder} is not signed (it holds no {ATTESTATION_FILE}), so nothing shows "
                "that the trusted certificate signed its audit.json",
                hint="name the signed report folder, or give no trusted certificate to "
                "compare with an unsigned audit",
            )
        return read_recorded_audit(path), "not signed, so not verified"
    # pyHanko takes about a second to import: only for a signed folder.
    from governance.signing.verification.report_verification import verify_report

    outcome = verify_report(folder, trust=trust, allow_untrusted=trust is None)
    if not outcome.holds:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in outcome.failures())
        raise InputError(
            f"{folder} is a signed report folder that fails verification ({failed})",
            hint=f"run 'governance verify {folder}' for every check; a report changed after "
            "it was signed cannot be trusted as a baseline",
        )
    how = "against the trusted certificate" if trust is not None else "for integrity only"
    return read_recorded_audit(path), f"signed report folder, verified {how}"
