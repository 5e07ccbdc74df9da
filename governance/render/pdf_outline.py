"""What report.pdf shows, worked out from the result where the audit ran.

The outline builds each chart's bars from the evidence, and a bar's label is an `Identifier`,
masked again when the bar is built: a label with enough digits to be a phone number (an age
band such as `25-39`) makes that build import presidio and its analyzer (about a second). The
process that ran the audit has them already; a child that renders the PDF does not. So the
outline is built here, once, and the child is sent it: unpickling its values validates nothing
again, and the child lays it out without presidio.
"""

from __future__ import annotations

import hashlib

from governance.engine.result import AuditResult
from governance.render.report_outline import ReportOutline, report_outline
from governance.vocabulary.evidence_table import EvidenceChart

CHART_SCHEME = "governance-chart"


def pdf_outline(result: AuditResult) -> ReportOutline:
    """The report's outline, its charts named as the PDF renderer serves them."""
    return report_outline(result, chart_source=chart_name)


def chart_name(chart: EvidenceChart) -> str:
    """A chart's name, from its content: identical charts are one image in the PDF."""
    digest = hashlib.sha256(chart.model_dump_json().encode("utf-8")).hexdigest()
    return f"{CHART_SCHEME}:{digest}"


def charts_of(outline: ReportOutline) -> dict[str, EvidenceChart]:
    """Name → chart, in the order the report shows them (the order the painter draws)."""
    return {
        chart_name(view.chart): view.chart
        for section in outline.sections
        for view in section.charts
    }
