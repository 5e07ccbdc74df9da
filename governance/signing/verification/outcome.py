"""The verdict of each verification check, and of the whole verification."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    @property
    def holds(self) -> bool:
        """True when no check failed and at least one passed: verifying nothing is no pass."""
        statuses = {check.status for check in self.checks}
        return CheckStatus.FAILED not in statuses and CheckStatus.PASSED in statuses

    def failures(self) -> tuple[VerificationCheck, ...]:
        return tuple(c for c in self.checks if c.status is CheckStatus.FAILED)


def render_verification(report: VerificationReport) -> str:
    """Plain text, one line per check, then the overall verdict."""
    width = max((len(c.name) for c in report.checks), default=0)
    lines = [f"verify {report.target}"]
    lines += [
        f"  {c.status.value:<8}{c.name:<{width}}  {_printable(c.detail)}" for c in report.checks
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
    return "\n".join(lines)


def _printable(text: str) -> str:
    """`text` with control and other non-printable characters escaped (`\\n`, `\\x1b`): details
    quote names from the report files, which must not forge lines or drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


_UNTRUSTED_WARNING = (
    "WARNING: --allow-untrusted: nothing establishes who signed this report. Anyone can make a\n"
    "  key, alter a report and re-sign it so that every check above passes. Verify with\n"
    "  --trust CERT (the signer's or its CA's certificate, obtained from them directly)."
)
