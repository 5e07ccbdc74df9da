"""report.pdf from a child process forked before the checks run.

Importing weasyprint takes about 0.6 s; in a child forked when the audit starts it happens on
the other core while the checks run, and the child is then sent the result (pickled: it is
this process's own, never outside input) and renders it as `render_pdf` would, with the same
bytes. Where forking is not safe, or nothing asked for a PDF, the PDF renders as usual.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from governance.engine.result import AuditResult
from governance.render.child_process import PreparedChild, prepare_isolated

PdfRenderer = Callable[[AuditResult], bytes]


@contextmanager
def prepared_pdf_renderer(wanted: bool) -> Iterator[PdfRenderer | None]:
    """A renderer whose child starts preparing now, or None; the child ends with the block
    if it was never used."""
    child = prepare_isolated(_renderer) if wanted else None
    try:
        yield None if child is None else _sending_to(child)
    finally:
        if child is not None:
            child.close()


def _sending_to(child: PreparedChild) -> PdfRenderer:
    return lambda result: child.render(pickle.dumps(result))


def _renderer() -> Callable[[bytes], bytes]:
    """In the child: import the PDF renderer, then render what is sent."""
    from governance.render import pdf_report

    return lambda payload: pdf_report.pdf_bytes(pickle.loads(payload))
