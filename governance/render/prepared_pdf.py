"""report.pdf from a child process forked before the checks run.

Importing weasyprint takes about 0.6 s; in a child forked when the audit starts it happens on
the other core while the checks run. The child is then sent the report's outline (`pdf_outline`,
built here, where presidio is loaded if the audit used it; pickled: it is this process's own,
never outside input) and renders it as `render_pdf` would, with the same bytes, while this
process renders the other formats and loads the signer. Where forking is not safe,
or nothing asked for a PDF, the PDF renders as usual.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from governance.engine.result import AuditResult
from governance.render.child_process import PreparedChild, prepare_isolated

PendingPdf = Callable[[], bytes]
"""Waits for a PDF whose rendering has started, and returns its bytes."""
PdfStarter = Callable[[AuditResult], PendingPdf]
"""Starts rendering a result's PDF, and returns at once."""


@contextmanager
def prepared_pdf_renderer(wanted: bool) -> Iterator[PdfStarter | None]:
    """A starter whose child starts preparing now, or None; the child ends with the block if
    its PDF was never received."""
    child = prepare_isolated(_renderer) if wanted else None
    try:
        yield None if child is None else _starting_in(child)
    finally:
        if child is not None:
            child.close()


def _starting_in(child: PreparedChild) -> PdfStarter:
    def start(result: AuditResult) -> PendingPdf:
        child.send(pdf_payload(result))
        return child.receive

    return start


def pdf_payload(result: AuditResult) -> bytes:
    """What the child is sent to render `result`'s PDF: its outline, pickled."""
    # Imported when a PDF is wanted: the outline brings the charts (Pillow), which an audit
    # without report.pdf never needs.
    from governance.render.pdf_outline import pdf_outline

    return pickle.dumps(pdf_outline(result))


def _renderer() -> Callable[[bytes], bytes]:
    """In the child: import the PDF renderer, compile the report's template and parse its
    user-agent style sheet, then render what is sent."""
    from governance.render import pdf_report
    from governance.render.html_report import report_template
    from governance.render.pdf_user_agent import report_user_agent_sheet

    report_template()
    report_user_agent_sheet()

    return lambda payload: pdf_report.outline_pdf(pickle.loads(payload))
