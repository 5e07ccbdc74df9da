"""`summary.md`: a short report for a pull-request comment or `$GITHUB_STEP_SUMMARY`."""

from __future__ import annotations

from governance.engine.result import AuditResult, Outcome
from governance.render.templating import template_environment

OUTCOME_ORDER = (Outcome.ERRORED, Outcome.FAILED, Outcome.WAIVED, Outcome.SKIPPED, Outcome.PASSED)


def render_markdown(result: AuditResult) -> str:
    rules = sorted(
        result.rules,
        key=lambda r: (OUTCOME_ORDER.index(r.outcome), -r.severity.rank, r.id),
    )
    template = template_environment().get_template("summary.md.j2")
    return template.render(result=result, rules=rules, Outcome=Outcome)
