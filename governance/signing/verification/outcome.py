"""The verdict of each verification check, and of the whole verification."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from governance.text_escaping import escape_controls


class CheckStatus(StrEnum):
    PASSED = "ok"
    FAILED = "FAILED"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class VerificationCheck:
    name: str
    status: CheckStatus
    detail: str

    @classmethod
    def passed(cls, name: str, detail: str) -> VerificationCheck:
        return cls(name, CheckStatus.PASSED, detail)

    @classmethod
    def failed(cls, name: str, detail: str) -> VerificationCheck:
        return cls(name, CheckStatus.FAILED, detail)

    @classmethod
    def skipped(cls, name: str, detail: str) -> VerificationCheck:
        return cls(name, CheckStatus.SKIPPED, detail)


@dataclass(frozen=True)
class VerificationReport:
    target: str
    checks: tuple[VerificationCheck, ...]
    integrity_only: bool = False
    """True when the user waived the trust check (--allow-untrusted): a pass then means the
    files are consistent with their signature, not that a known party signed them."""
    warnings: tuple[str, ...] = ()
    """What the user should know beyond the checks (e.g. a --trust that proves nothing)."""

    @property
    def holds(self) -> bool:
        """True when no check failed and at least one passed: verifying nothing is no pass."""
        statuses = {check.status for check in self.checks}
        return CheckStatus.FAILED not in statuses and CheckStatus.PASSED in statuses

    def failures(self) -> tuple[VerificationCheck, ...]:
        return tuple(c for c in self.checks if c.status is CheckStatus.FAILED)


def render_verification(report: VerificationReport) -> str:
    """Plain text, one line per check, then the overall verdict and any warning.

    Details quote names from certificates and files, which anyone can choose: each is escaped
    (`escape_controls`), so no detail can break its line and print a forged verdict."""
    width = max((len(c.name) for c in report.checks), default=0)
    lines = [f"verify {escape_controls(report.target)}"]
    lines += [
        f"  {c.status.value:<8}{c.name:<{width}}  {escape_controls(c.detail)}"
        for c in report.checks
    ]
    counts = {s: sum(c.status is s for c in report.checks) for s in CheckStatus}
    summary = (
        f"{counts[CheckStatus.PASSED]} passed, {counts[CheckStatus.FAILED]} failed, "
        f"{counts[CheckStatus.SKIPPED]} skipped"
    )
    verdict = "VERIFIED" if report.holds else "NOT VERIFIED"
    if report.integrity_only:
        verdict += " (integrity only)"
    lines.append(f"{verdict}: {summary}")
    if report.integrity_only:
        lines.append(_UNTRUSTED_WARNING)
    lines += [f"WARNING: {escape_controls(warning)}" for warning in report.warnings]
    return "\n".join(lines)


_UNTRUSTED_WARNING = (
    "WARNING: --allow-untrusted: nothing establishes who signed this report. Anyone can make a\n"
    "  key, alter a report and re-sign it so that every check above passes. Verify with\n"
    "  --trust CERT (the signer's or its CA's certificate, obtained from them directly)."
)
