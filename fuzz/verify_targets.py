"""Targets over `governance verify`: the attestation's DSSE envelope and in-toto statement on
their own, and whole report folders whose attestation, certificate or PDF was tampered with.

A hostile report folder must give a verdict (failed checks), never an exception: `verify` is
what an auditor runs on files someone else sent."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import strategies as st

from fuzz.mutation import apply_edits, edits
from fuzz.workspace import scratch_folder
from fuzz.yaml_trees import Tree, schema_mapping, trees
from governance.signing.attestation import (
    ATTESTATION_FILE,
    PAYLOAD_TYPE,
    PDF_REPORT,
    PREDICATE_TYPE,
    SIGNER_FILE,
    STATEMENT_TYPE,
    StatementError,
    read_statement,
)
from governance.signing.certificates import SignerIdentity, certificate_pem, self_signed_certificate
from governance.signing.dsse import (
    EnvelopeError,
    envelope_line,
    sign_envelope,
    verify_envelope_line,
)
from governance.signing.material import SigningMaterial
from governance.signing.pdf_signature import sign_pdf
from governance.signing.verification.outcome import VerificationReport, render_verification
from governance.signing.verification.report_verification import verify_report
from governance.text_escaping import escape_controls

_KEY_SECRET = 0x5EED_F022_A7E5_7ED
_REPORT_TEXT = {"audit.json": b'{"verdict": "failed"}\n', "summary.md": b"# Audit\n\nFailed.\n"}


@dataclass(frozen=True)
class SignedReport:
    """A genuine signed report folder's files, the material that signed them, and the
    certificate to trust."""

    files: dict[str, bytes]
    material: SigningMaterial
    trust: Path


@functools.cache
def signed_report() -> SignedReport:
    key = ec.derive_private_key(_KEY_SECRET, ec.SECP256R1())  # the same key in every run
    certificate = self_signed_certificate(key, SignerIdentity("Fuzz Auditor"), days=30)
    material = SigningMaterial(key, certificate)
    html = "<html><body><h1>Audit</h1><p>Verdict and evidence.</p></body></html>"
    files = {
        **_REPORT_TEXT,
        PDF_REPORT: sign_pdf(weasyprint.HTML(string=html).write_pdf(), material),
    }
    subjects = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    files[SIGNER_FILE] = certificate_pem(certificate)
    files[ATTESTATION_FILE] = _envelope_line(_genuine_statement(subjects), material)
    trust = scratch_folder() / "trusted.pem"
    trust.write_bytes(certificate_pem(certificate))
    return SignedReport(files, material, trust)


def _genuine_statement(subjects: dict[str, str]) -> dict[str, Any]:
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": n, "digest": {"sha256": d}} for n, d in sorted(subjects.items())],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "audit": {"name": "fuzz", "createdAt": "2026-11-29T12:00:00Z", "failOn": "high"},
            "verdict": "failed",
            "counts": {"failed": 1},
            "inputs": [{"role": "manifest", "path": "audit.yaml", "digest": {"sha256": "0" * 64}}],
        },
    }


def _envelope_line(
    statement: Tree,
    material: SigningMaterial,
    payload_type: str = PAYLOAD_TYPE,
) -> bytes:
    payload = json.dumps(statement, default=str).encode("utf-8", "surrogatepass")
    envelope = sign_envelope(payload, payload_type, material.key)
    return (envelope_line(envelope) + "\n").encode()


_STATEMENT_KEYS = [
    "_type",
    "subject",
    "name",
    "digest",
    "sha256",
    "predicateType",
    "predicate",
    "audit",
    "createdAt",
    "verdict",
    "inputs",
    "path",
    "role",
]
_SUBJECT_NAMES = st.one_of(
    st.sampled_from(
        [
            "report.pdf",
            "audit.json",
            "summary.md",
            "signer.pem",
            ATTESTATION_FILE,
            "..",
            ".",
            "",
            "a/../report.pdf",
            "/etc/hostname",
            "report.html",
            "\x00",
            "\ud800",
        ]
    ),
    st.text(max_size=8),
    st.integers(),
    st.none(),
)
_DIGESTS = st.one_of(
    st.sampled_from(["", "0" * 64, hashlib.sha256(b"").hexdigest()]), st.text(max_size=70)
)


def statements() -> st.SearchStrategy[Tree]:
    keys = _STATEMENT_KEYS
    digest = schema_mapping({"sha256": _DIGESTS}, keys, required=("sha256",))
    subject = schema_mapping(
        {"name": _SUBJECT_NAMES, "digest": digest}, keys, required=("name", "digest")
    )
    predicate = schema_mapping(
        {
            "audit": schema_mapping(
                {"createdAt": st.text(max_size=25)}, keys, required=("createdAt",)
            ),
            "verdict": st.sampled_from(["passed", "failed", "errored", ""]),
            "inputs": st.lists(
                schema_mapping(
                    {"path": _SUBJECT_NAMES, "digest": digest}, keys, required=("path", "digest")
                ),
                max_size=3,
            ),
        },
        keys,
        required=("audit", "verdict", "inputs"),
    )
    return st.one_of(
        schema_mapping(
            {
                "_type": st.sampled_from([STATEMENT_TYPE, "https://in-toto.io/Statement/v0.1"]),
                "subject": st.lists(subject, max_size=4),
                "predicateType": st.sampled_from([PREDICATE_TYPE, "x"]),
                "predicate": predicate,
            },
            keys,
            required=("_type", "subject", "predicateType", "predicate"),
        ),
        trees(_STATEMENT_KEYS),
    )


def _statement_payload(tree: Tree) -> bytes:
    return json.dumps(tree, default=str).encode("utf-8", "surrogatepass")


def statement_payloads() -> st.SearchStrategy[bytes]:
    genuine = _statement_payload(_genuine_statement({"report.pdf": "0" * 64}))
    return st.one_of(
        st.builds(_statement_payload, statements()),
        st.builds(apply_edits, st.just(genuine), edits()),
        st.binary(max_size=64),
    )


def envelope_lines() -> st.SearchStrategy[bytes]:
    """Attestation file contents: envelopes built from parts, or edited genuine ones."""
    keys = ["payload", "payloadType", "signatures", "keyid", "sig"]
    base64_text = st.one_of(
        st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode()),
        st.text(max_size=20),
    )
    signature = schema_mapping({"keyid": st.text(max_size=10), "sig": base64_text}, keys)
    envelope = schema_mapping(
        {
            "payload": base64_text,
            "payloadType": st.sampled_from([PAYLOAD_TYPE, "", "text/plain"]),
            "signatures": st.lists(signature, max_size=3),
        },
        keys,
    )
    lines = st.builds(
        lambda e: json.dumps(e, default=str).encode("utf-8", "surrogatepass"),
        st.one_of(envelope, trees(keys)),
    )
    genuine = st.builds(lambda: signed_report().files[ATTESTATION_FILE])
    return st.one_of(lines, st.builds(apply_edits, genuine, edits()))


def read_envelope(data: bytes) -> None:
    """The attestation file's envelope parsed and checked against the genuine signer's key."""
    text = data.decode("utf-8", errors="replace")
    with contextlib.suppress(EnvelopeError):
        verify_envelope_line(text, signed_report().material.certificate.public_key())  # type: ignore[arg-type]


def read_attested_statement(payload: bytes) -> None:
    """A statement is refused, or gives text that verify can use as file names and print."""
    try:
        attested = read_statement(payload)
    except StatementError:
        return
    texts = [*attested.subjects.items(), *attested.inputs.items()]
    for text in (*(t for pair in texts for t in pair), attested.verdict, attested.created_at):
        if not isinstance(text, str):
            raise AssertionError(f"read_statement returned {type(text).__name__}, not text")
        text.encode("utf-8")


@dataclass(frozen=True)
class TamperedFolder:
    attestation: bytes | None
    resigned: bool
    """The attestation is a new statement signed with the genuine key (so it may verify)."""
    signer: bytes | None
    pdf: bytes | None
    extra: tuple[str, ...]
    trust: str
    """'trusted' (--trust the genuine certificate), 'untrusted' (--allow-untrusted) or 'none'."""
    target: str = "."
    """What verify is given: the folder ('.'), or one of its files (report.pdf alone)."""


def _resigned(statement: Tree, payload_type: str) -> bytes:
    return _envelope_line(statement, signed_report().material, payload_type)


def tampered_folders() -> st.SearchStrategy[TamperedFolder]:
    def genuine(name: str) -> st.SearchStrategy[bytes]:
        return st.builds(lambda: signed_report().files[name])

    def variants(name: str) -> st.SearchStrategy[bytes | None]:
        return st.one_of(genuine(name), st.builds(apply_edits, genuine(name), edits()), st.none())

    attestation = st.one_of(
        st.tuples(st.one_of(variants(ATTESTATION_FILE), envelope_lines()), st.just(False)),
        st.tuples(
            st.builds(_resigned, statements(), st.sampled_from([PAYLOAD_TYPE, "text/plain"])),
            st.just(True),
        ),
    )
    signer = st.one_of(variants(SIGNER_FILE), st.binary(max_size=64))
    return st.builds(
        lambda signed, *rest: TamperedFolder(*signed, *rest),
        attestation,
        signer,
        variants(PDF_REPORT),
        st.lists(st.sampled_from(["report.html", "results.sarif", "notes.txt"]), max_size=2).map(
            tuple
        ),
        st.sampled_from(["trusted", "untrusted", "none"]),
        st.sampled_from([".", PDF_REPORT, ATTESTATION_FILE]),
    )


def verify_tampered_folder(case: TamperedFolder) -> None:
    """`verify_report` on the folder must return a report (and one the CLI can print)."""
    report = signed_report()
    folder = scratch_folder() / "report"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    written: dict[str, bytes | None] = {
        **_REPORT_TEXT,
        ATTESTATION_FILE: case.attestation,
        SIGNER_FILE: case.signer,
        PDF_REPORT: case.pdf,
    }
    for name, content in written.items():
        if content is not None:
            (folder / name).write_bytes(content)
    for name in case.extra:
        (folder / name).write_bytes(b"{}")
    with _logged_tracebacks() as tracebacks:
        target = folder / case.target
        outcome = verify_report(
            target if target.exists() else folder,
            trust=report.trust if case.trust == "trusted" else None,
            allow_untrusted=case.trust == "untrusted",
        )
    if tracebacks:  # Python prints a library's logged traceback on the user's terminal
        record = tracebacks[0]
        raise AssertionError(f"{record.name} logged a traceback: {record.getMessage()}")
    if not isinstance(outcome, VerificationReport):
        raise AssertionError(f"verify_report returned {type(outcome).__name__}")
    _assert_printable(outcome)
    tampered = (
        case.attestation != report.files[ATTESTATION_FILE] or case.pdf != report.files[PDF_REPORT]
    )
    if tampered and outcome.holds and not case.resigned:
        _assert_equivalent(case, report)


def _assert_printable(outcome: VerificationReport) -> None:
    """What verify prints is UTF-8 text of one line per check, without control characters: a
    name in a hostile attestation must not forge lines or drive the terminal."""
    lines = render_verification(outcome).encode("utf-8").decode("utf-8").split("\n")
    warnings = (3 if outcome.integrity_only else 0) + len(outcome.warnings)  # one line each
    expected = len(outcome.checks) + 2 + warnings
    if len(lines) != expected:
        raise AssertionError(f"verify printed {len(lines)} lines for {expected}")
    for line in lines:
        # Control, line-separator and bidirectional characters are what can forge or hide text;
        # a character merely unassigned in this Python's Unicode tables prints as itself.
        if escape_controls(line) != line:
            raise AssertionError(f"verify printed a control character: {line!r}")


class _TracebackRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@contextlib.contextmanager
def _logged_tracebacks() -> Iterator[list[logging.LogRecord]]:
    """The log records with a traceback emitted (at warning level or above) meanwhile."""
    recorder = _TracebackRecorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        yield recorder.records
    finally:
        root.removeHandler(recorder)


def _assert_equivalent(case: TamperedFolder, report: SignedReport) -> None:
    """A tampered folder that verifies must carry the genuine signed content: the PDF (when
    present) byte-identical, the attestation's statement the genuine one (unless verify was
    given the PDF alone, which checks no attestation)."""
    if case.pdf is not None and case.pdf != report.files[PDF_REPORT]:
        raise AssertionError("a modified report.pdf verified")
    if case.target == PDF_REPORT and case.pdf is not None:
        return
    assert case.attestation is not None
    # The one file no subject covers is bound by being exactly the envelope the signer wrote.
    if case.attestation.removesuffix(b"\n") != report.files[ATTESTATION_FILE].removesuffix(b"\n"):
        raise AssertionError("an attestation other than the signed envelope verified")
