"""Sentences about where an audit stands: the baseline its gate compared against, and the git
commit its files came from; shared by the console, summary.md and the report's cover."""

from __future__ import annotations

from governance.engine.result import BaselineInfo
from governance.engine.source_control import SourceControl


def baseline_sentence(baseline: BaselineInfo) -> str:
    return (
        f"Against baseline {baseline.audit} ({baseline.created_at:%Y-%m-%d}; "
        f"{baseline.verified}): {baseline.new} finding{'s' * (baseline.new != 1)} new since "
        f"it (only new findings can fail the gate), {baseline.remaining} remain from it, "
        f"{baseline.fixed} fixed."
    )


def source_sentence(source: SourceControl, *, brief: bool = False) -> str:
    """`git 1a2b3c4d5e6f on main, dirty, from URL; 2 inputs not as committed (data/x.csv
    modified, ...)`, or why no commit is recorded; `brief` (summary.md, near its size budget)
    leaves out the remote and the reason."""
    if source.commit is None:
        return "git: not recorded" if brief else f"git: not recorded ({source.absent_reason})"
    where = f"on {source.branch}" if source.branch else "detached HEAD"
    text = f"git {source.commit[:12]} {where}, {'dirty' if source.dirty else 'clean'}"
    if source.remote and not brief:
        text += f", from {source.remote}"
    pending = source.uncommitted_inputs
    if pending:
        listed = ", ".join(f"{item.path} {item.state.value}" for item in pending[:5])
        more = f", and {len(pending) - 5} more" if len(pending) > 5 else ""
        text += (
            f"; {len(pending)} input{'s' * (len(pending) != 1)} not as committed ({listed}{more})"
        )
    return text
