"""Rule severities, ordered, so a gate can say "fail on high and above"; and the gate's
threshold, which may also be `none` (report only)."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


class FailOn(StrEnum):
    """The lowest severity of a failed rule that fails the gate, or `none`: a report-only run
    that no finding fails (an errored rule still does: the audit did not run whole)."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"
    NONE = "none"

    def gates(self, severity: Severity) -> bool:
        """Whether a failed rule of `severity` fails the gate."""
        return self is not FailOn.NONE and severity.at_least(Severity(self.value))

    def describe(self) -> str:
        """The gate's rule in one sentence's end, for every report."""
        if self is FailOn.NONE:
            return "only on an errored rule (report only: no failed rule fails it)"
        return f"on a failed rule of severity {self.value} or above, and on any errored rule"
