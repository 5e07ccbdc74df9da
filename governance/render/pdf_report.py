"""`report.pdf`: the HTML report laid out by weasyprint as PDF/A-3u, with `audit.json` attached.

Byte-identical for the same result: the document dates come from the audit date (the
`dcterms.*` meta tags and the attachment's dates), PDF/A-3u has no random ids (PDF/X would),
the `/ID` is a digest of the content, the charts are deterministic PNGs, and the fonts' own
modification dates are pinned to the audit date (`font_dates`).
"""

from __future__ import annotations

from weasyprint import Attachment, URLFetcher
from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

from governance.engine.result import AuditResult
from governance.render.chart_painter import ChartsDrawnOnDemand, ChartSupply, painted_charts
from governance.render.child_process import render_isolated
from governance.render.font_dates import pin_font_dates
from governance.render.font_subsetting import tune_font_subsetting
from governance.render.html_report import report_html
from governance.render.json_report import render_json
from governance.render.pdf_outline import CHART_SCHEME, charts_of, pdf_outline
from governance.render.pdf_serialization import tune_pydyf
from governance.render.pdf_user_agent import ReportHTML
from governance.render.report_outline import ReportOutline

ATTACHMENT_NAME = "audit.json"


def render_pdf(result: AuditResult) -> bytes:
    return render_isolated(lambda: pdf_bytes(result))


def report_document(result: AuditResult) -> ReportHTML:
    """The report as a weasyprint document, its charts drawn when weasyprint asks for them."""
    outline = pdf_outline(result)
    return _document(outline, ChartsDrawnOnDemand(charts_of(outline)))


def pdf_bytes(result: AuditResult) -> bytes:
    """The PDF, rendered in this process (`render_pdf` isolates it in a child)."""
    return outline_pdf(pdf_outline(result))


def outline_pdf(outline: ReportOutline) -> bytes:
    """The PDF of an outline from `pdf_outline`, rendered in this process."""
    result = outline.result
    tune_pydyf()
    tune_font_subsetting()
    created = result.audit.created_at
    evidence = Attachment(
        string=render_json(result).encode("utf-8"),
        name=ATTACHMENT_NAME,
        description="The audit result: every rule's outcome, findings and evidence",
        relationship="Data",
        created=created,
        modified=created,
    )
    with painted_charts(charts_of(outline)) as charts:
        try:
            pdf: bytes = _document(outline, charts).write_pdf(
                pdf_variant="pdf/a-3u",
                attachments=[evidence],
                pdf_tags=True,
                finisher=lambda _document, pdf: pin_font_dates(pdf, created),
            )
        except FatalURLFetchingError as error:  # weasyprint's is a BaseException
            raise RuntimeError(str(error)) from error
    return pdf


def _document(outline: ReportOutline, charts: ChartSupply) -> ReportHTML:
    return ReportHTML(string=report_html(outline, medium="pdf"), url_fetcher=_ChartFetcher(charts))


class _ChartFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the report's charts by name and refuses every other URL, so rendering stays
    offline and text from the inputs can never make weasyprint read a file or a URL."""

    def __init__(self, charts: ChartSupply) -> None:
        super().__init__(allowed_protocols={CHART_SCHEME})
        self._charts = charts

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        # Fatal, not weasyprint's usual warning: a chart missing from a signed report is
        # evidence missing, and a URL that is not one of its charts is a bug.
        try:
            png = self._charts.png(url)
        except KeyError:
            raise FatalURLFetchingError(f"the report refers to no such chart: {url[:80]}") from None
        except Exception as error:
            raise FatalURLFetchingError(f"a chart could not be drawn: {error}") from error
        return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
