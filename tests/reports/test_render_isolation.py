"""The PDF renders in a forked child process when this process has one thread: the same bytes
as in process, the child's errors and crashes reported with what went wrong, and in process
whenever forking would not be safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import AuditResult
from governance.render import chart_painter, child_process, pdf_report, prepared_pdf
from governance.render.child_process import (
    ChildRenderError,
    _outcome,
    can_fork_safely,
    prepare_isolated,
    render_isolated,
)
from governance.render.pdf_report import render_pdf
from governance.render.prepared_pdf import prepared_pdf_renderer
from tests.reports.canonical_audit import (
    GroupRatesEvidence,
    canonical_result,
    canonical_result_with_chart,
    replace_evidence,
)
from tests.reports.test_report_cli import _audit


@pytest.fixture
def charted() -> AuditResult:
    return canonical_result_with_chart()


# The stand-in evidence is no member of the evidence union, so pydantic warns when audit.json
# is attached; the JSON is still complete.
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")


def test_a_fresh_process_can_fork_safely() -> None:
    code = "from governance.render.child_process import can_fork_safely; print(can_fork_safely())"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "True"


def test_the_child_renders_the_same_bytes_as_this_process(
    charted: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = render_pdf(charted)
    monkeypatch.setattr(child_process, "can_fork_safely", lambda: False)
    assert render_pdf(charted) == forked
    assert forked.startswith(b"%PDF-")


def test_the_child_does_the_work() -> None:
    parent = os.getpid()
    assert int(render_isolated(lambda: str(os.getpid()).encode())) != parent


def test_an_error_in_the_child_comes_back_with_its_traceback() -> None:
    def broken() -> bytes:
        raise ValueError("no such font")

    with pytest.raises(ChildRenderError) as caught:
        render_isolated(broken)
    assert str(caught.value) == "ValueError: no such font"
    assert "in broken" in caught.value.child_traceback


def test_a_child_killed_by_a_signal_is_an_error_not_an_empty_pdf() -> None:
    def killed() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b"never"

    with pytest.raises(ChildRenderError, match=r"was killed \(SIGKILL: out of memory\?\)"):
        render_isolated(killed)


@pytest.fixture
def second_thread() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.usefixtures("second_thread")
def test_with_another_thread_running_it_renders_in_this_process() -> None:
    assert not can_fork_safely()
    assert int(render_isolated(lambda: str(os.getpid()).encode())) == os.getpid()


def test_a_pdf_crash_in_the_child_costs_only_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(outline: object) -> bytes:
        raise RuntimeError("layout bug")

    monkeypatch.setattr(pdf_report, "outline_pdf", crash)
    out = tmp_path / "out"
    outcome = CliRunner().invoke(
        app, ["audit", str(_audit(tmp_path / "a")), "--out", str(out), "-f", "json,pdf"]
    )
    assert outcome.exit_code == 3
    assert "the pdf report could not be rendered (RuntimeError: layout bug)" in outcome.stderr
    assert {p.name for p in out.iterdir()} == {"audit.json", ".governance-index.json"}
    debug = CliRunner().invoke(
        app, ["--debug", "audit", str(_audit(tmp_path / "a")), "--out", str(out), "-f", "pdf"]
    )
    assert "in crash" in debug.stderr  # the child's traceback, with --debug


def test_when_no_process_can_be_forked_it_renders_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert int(render_isolated(lambda: str(os.getpid()).encode())) == os.getpid()


def test_with_sigchld_ignored_the_pdf_still_arrives(monkeypatch: pytest.MonkeyPatch) -> None:
    # Some daemons ignore SIGCHLD (and pass it on across exec): the system then reaps the
    # child itself, and waitpid finds none.
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert render_isolated(lambda: b"%PDF-1.7 complete") == b"%PDF-1.7 complete"
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_a_message_cut_short_is_an_error_not_a_pdf() -> None:
    whole = child_process._HEADER.pack(b"S", 100) + b"x" * 100
    assert _outcome(whole, 0) == b"x" * 100
    with pytest.raises(ChildRenderError, match="exited with status 0 before it finished"):
        _outcome(whole[:60], 0)
    with pytest.raises(ChildRenderError, match="ended before it finished"):
        _outcome(whole[:3], None)


def _many_charts() -> AuditResult:
    """The canonical audit with a chart on each of its first six rules and on no other."""
    result = canonical_result()
    for number, rule in enumerate(result.rules):
        rates = (("female", 0.5 + number / 20), ("male", 1.0), ("other", 0.9 - number / 10))
        evidence = GroupRatesEvidence(rates=rates) if number < 6 else None
        result = replace_evidence(result, rule.id, evidence)
    return result


def test_six_charts_give_the_same_pdf_forked_with_a_painter_in_process_or_without_a_fork(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = _many_charts()
    forked = render_pdf(result)
    with monkeypatch.context() as patched:
        patched.setattr(child_process, "can_fork_safely", lambda: False)
        assert render_pdf(result) == forked
    with monkeypatch.context() as patched:

        def no_fork() -> int:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        patched.setattr(os, "fork", no_fork)
        assert render_pdf(result) == forked
    (tmp_path / "report.pdf").write_bytes(forked)
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "report.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(images.stdout.splitlines()) - 2 == 6  # two header lines, then an image a line


def test_a_chart_that_cannot_be_drawn_fails_the_pdf_instead_of_leaving_it_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(chart: object) -> bytes:
        raise OSError("no font")

    monkeypatch.setattr(chart_painter, "chart_print_png", broken)
    with pytest.raises(ChildRenderError, match="a chart could not be drawn: no font"):
        render_pdf(canonical_result_with_chart())


def test_the_pdf_fetches_nothing_but_its_own_charts() -> None:
    fetcher = pdf_report._ChartFetcher(chart_painter.ChartsDrawnOnDemand({}))
    for url in ("file:///etc/passwd", "http://example.org/x.png", "data:image/png;base64,AA=="):
        with pytest.raises(pdf_report.FatalURLFetchingError):
            fetcher.fetch(url)


def test_a_prepared_child_renders_the_same_pdf_as_render_pdf(charted: AuditResult) -> None:
    with prepared_pdf_renderer(True) as renderer:
        assert renderer is not None
        assert renderer(charted)() == render_pdf(charted)


def test_a_prepared_child_prepares_before_it_is_sent_anything(tmp_path: Path) -> None:
    prepared = tmp_path / "prepared"

    def prepare() -> Callable[[bytes], bytes]:
        # Renamed once whole: the parent never reads a half-written pid.
        written = tmp_path / "prepared.partial"
        written.write_text(str(os.getpid()))
        written.replace(prepared)
        return lambda payload: payload.upper()

    child = prepare_isolated(prepare)
    assert child is not None
    deadline = time.monotonic() + 30
    while not prepared.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert int(prepared.read_text()) != os.getpid()  # done in the child, ahead of the input
    assert child.render(b"result") == b"RESULT"


def test_a_prepared_child_never_sent_its_input_ends_with_the_block(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def prepare() -> Callable[[bytes], bytes]:
        # Renamed once whole: the parent never reads a half-written pid.
        written = tmp_path / "pid.partial"
        written.write_text(str(os.getpid()))
        written.replace(pid_file)
        return lambda payload: payload

    child = prepare_isolated(prepare)
    assert child is not None
    while not pid_file.exists():
        time.sleep(0.01)
    child.close()
    with pytest.raises(ProcessLookupError):  # killed and reaped: no zombie left behind
        os.kill(int(pid_file.read_text()), 0)


def test_a_prepared_child_whose_preparation_fails_reports_why() -> None:
    def prepare() -> Callable[[bytes], bytes]:
        raise ImportError("no weasyprint")

    child = prepare_isolated(prepare)
    assert child is not None
    with pytest.raises(ChildRenderError, match="ImportError: no weasyprint") as caught:
        child.render(b"result")
    assert "in prepare" in caught.value.child_traceback


@pytest.mark.usefixtures("second_thread")
def test_with_another_thread_running_no_child_is_prepared() -> None:
    with prepared_pdf_renderer(True) as renderer:
        assert renderer is None


def test_an_audit_leaves_weasyprint_to_the_prepared_child(tmp_path: Path) -> None:
    # The point of preparing the child: this process never spends the 0.6 s of the import.
    manifest = _audit(tmp_path / "a")
    script = (
        "import sys\n"
        "from governance.cli.app import main\n"
        f"sys.argv = ['governance', 'audit', {str(manifest)!r}, '--out', 'out', '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF-"), completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "False"


def test_a_prepared_child_is_not_held_up_by_a_later_child_holding_its_pipe() -> None:
    child = prepare_isolated(lambda: lambda payload: payload[::-1])
    assert child is not None
    holder = os.fork()  # like a chart painter forked later: it inherits the pipe's write end
    if holder == 0:
        time.sleep(60)
        os._exit(0)
    try:
        started = time.monotonic()
        assert child.render(b"abc") == b"cba"
        assert time.monotonic() - started < 30
    finally:
        os.kill(holder, signal.SIGKILL)
        os.waitpid(holder, 0)


def test_a_prepared_child_renders_while_this_process_works_on(tmp_path: Path) -> None:
    # The child renders only once this process has done something after sending: `send`
    # must return without waiting for the rendering.
    go_on = tmp_path / "go-on"

    def prepare() -> Callable[[bytes], bytes]:
        def render(payload: bytes) -> bytes:
            deadline = time.monotonic() + 30
            while not go_on.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return payload.upper() if go_on.exists() else b"waited in vain"

        return render

    child = prepare_isolated(prepare)
    assert child is not None
    child.send(b"result")
    go_on.touch()
    assert child.receive() == b"RESULT"
    with pytest.raises(RuntimeError, match="once"):
        child.receive()


def test_a_prepared_child_sent_but_never_received_ends_with_the_block(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def prepare() -> Callable[[bytes], bytes]:
        pid_file.write_text(str(os.getpid()))
        return lambda payload: time.sleep(60) or payload

    child = prepare_isolated(prepare)
    assert child is not None
    child.send(b"result")
    while not pid_file.exists():
        time.sleep(0.01)
    child.close()
    with pytest.raises(ProcessLookupError):  # killed and reaped: no zombie left behind
        os.kill(int(pid_file.read_text()), 0)


def test_a_started_pdf_is_waited_for_after_the_other_formats(charted: AuditResult) -> None:
    from governance.cli.report_rendering import render_reports
    from governance.render.formats import ReportFormat

    rendered: list[str] = []

    def started_pdf(_result: AuditResult) -> bytes:
        rendered.append("report.pdf")
        return b"%PDF-"

    formats = (ReportFormat.JSON, ReportFormat.PDF, ReportFormat.SARIF, ReportFormat.JUNIT)
    reports = render_reports(
        charted,
        formats,
        announce=lambda message: rendered.append(message),
        renderers={ReportFormat.PDF: started_pdf},
    )
    assert rendered[-1] == "report.pdf"  # waited for last: the others rendered meanwhile
    assert list(reports.files) == ["audit.json", "report.pdf", "report.sarif", "junit.xml"]
    assert reports.files["report.pdf"] == b"%PDF-"


def test_the_prepared_child_lays_out_chart_labels_without_presidio(tmp_path: Path) -> None:
    # An age band has the digits of a phone number, so masking the label again when a chart's
    # bars are built would import presidio and build its analyzer (about a second) in the
    # child, which was forked before the audit loaded them. The child is sent the outline.
    evidence = GroupRatesEvidence(rates=(("age_band=25-39", 0.71), ("age_band=40-54", 1.0)))
    result = replace_evidence(canonical_result(), "DOC-MC-005", evidence)
    payload = tmp_path / "payload"
    payload.write_bytes(prepared_pdf.pdf_payload(result))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from governance.render.prepared_pdf import _renderer\n"
        f"pdf = _renderer()(Path({str(payload)!r}).read_bytes())\n"
        "print(pdf[:5].decode(), 'presidio_analyzer' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert completed.stdout.split() == ["%PDF-", "False"], completed.stderr


def test_the_prepared_child_compiles_the_report_template_before_it_is_sent_anything() -> None:
    # Compiling takes about 0.05 s: done while the audit runs, not after it.
    script = (
        "from governance.render.prepared_pdf import _renderer\n"
        "from governance.render.templating import template_environment\n"
        "_renderer()\n"
        "print(sorted(name for _, name in template_environment().cache))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert completed.stdout.strip() == "['report.html.j2']", completed.stderr
