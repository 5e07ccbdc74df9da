"""`report.pdf`: the HTML report laid out by weasyprint as PDF/A-3u, with `audit.json` attached.

Byte-identical for the same result: the document dates come from the audit date (the
`dcterms.*` meta tags and the attachment's dates), PDF/A-3u has no random ids (PDF/X would),
the `/ID` is a digest of the content, the charts are deterministic PNGs, and the fonts' own
modification dates are pinned to the audit date (`font_dates`).
"""

from __future__ import annotations

from weasyprint import HTML, Attachment, URLFetcher

from governance.engine.result import AuditResult
from governance.render.font_dates import pin_font_dates
from governance.render.html_report import report_html
from governance.render.json_report import render_json

ATTACHMENT_NAME = "audit.json"


def render_pdf(result: AuditResult) -> bytes:
    created = result.audit.created_at
    evidence = Attachment(
        string=render_json(result).encode("utf-8"),
        name=ATTACHMENT_NAME,
        description="The audit result: every rule's outcome, findings and evidence",
        relationship="Data",
        created=created,
        modified=created,
    )
    # Images are inline `data:` URIs; refusing every other scheme keeps rendering offline and
    # stops text from the inputs from ever making weasyprint read a file or a URL.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=report_html(result, medium="pdf"), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        pdf_variant="pdf/a-3u",
        attachments=[evidence],
        finisher=lambda _document, pdf: pin_font_dates(pdf, created),
    )
    return pdf
