"""The command that re-runs an audit as it was run, for the report's "To reproduce" line."""

from __future__ import annotations

import shlex

from governance.engine.result import AuditResult

SIGNING_OPTIONS = ("--sign", "--key", "KEY.pem", "--cert", "CERT.pem")
"""The signer's key is secret and its path is the signer's own: the command names the options
with placeholders (the certificate used is `signer.pem` beside the report)."""


def reproduce_command(result: AuditResult) -> str:
    """`SOURCE_DATE_EPOCH=… governance audit MANIFEST` with every option that shapes the
    reports: formats, gate, who ran it, the spaCy model, the frameworks named, signing.
    Quoted for a POSIX shell."""
    audit = result.audit
    words = ["governance", "audit", audit.manifest]
    if audit.formats:
        words += ["--format", ",".join(audit.formats)]
    words += ["--fail-on", audit.fail_on.value, "--run-by", audit.run_by or ""]
    if audit.nlp_model:
        words += ["--nlp-model", audit.nlp_model]
    for framework in audit.frameworks:
        words += ["--framework", framework]
    quoted = " ".join(shlex.quote(word) for word in words)
    if audit.signed:
        quoted += " " + " ".join(SIGNING_OPTIONS)
    return f"SOURCE_DATE_EPOCH={int(audit.created_at.timestamp())} {quoted}"
