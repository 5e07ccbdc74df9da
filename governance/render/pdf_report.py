"""`report.pdf`: the HTML report laid out by weasyprint as PDF/A-3u, with `audit.json` attached.

Byte-identical for the same result: the document dates come from the audit date (the
`dcterms.*` meta tags and the attachment's dates), PDF/A-3u has no random ids (PDF/X would),
the `/ID` is a digest of the content, the charts are deterministic PNGs, and the fonts' own
modification dates are pinned to the audit date (`font_dates`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint import HTML, Attachment, URLFetcher

from governance.engine.result import AuditResult
from governance.render.font_dates import pin_font_dates
from governance.render.html_report import report_html
from governance.render.json_report import render_json

ATTACHMENT_NAME = "audit.json"


def render_pdf(result: AuditResult) -> bytes:
    with _few_garbage_collections():
        return _render_pdf(result)


def _render_pdf(result: AuditResult) -> bytes:
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


@contextmanager
def _few_garbage_collections() -> Iterator[None]:
    """Collect cyclic garbage once, after the render, instead of hundreds of times during it.

    weasyprint allocates millions of objects (boxes, styles, text layouts) that live until the
    PDF is written; at Python's default threshold (a collection every 700 allocations, a full
    one each time the heap grows by a quarter) the collector scans that growing heap again and
    again: about 4 s of the large benchmark report's 20 s CPU. One full collection at the end frees
    the document's cycles, so memory is returned as before.
    """
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.collect()
