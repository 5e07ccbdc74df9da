"""Verify a signed report folder (or one file of it): every check runs, each with its verdict."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography import x509

from governance.errors import GovernanceError, UsageError
from governance.report_folder.index import INDEX_FILE
from governance.signing.attestation import ATTESTATION_FILE, PDF_REPORT, SIGNER_FILE
from governance.signing.certificates import load_certificates, subject_of
from governance.signing.verification.attestation_checks import (
    check_attestation,
    check_subjects,
)
from governance.signing.verification.certificate_checks import check_certificate, check_trust
from governance.signing.verification.input_checks import check_inputs
from governance.signing.verification.outcome import VerificationCheck, VerificationReport
from governance.signing.verification.pdf_checks import (
    PdfSignatureFindings,
    check_pdf_signature,
)

_REPORT_FILES = (PDF_REPORT, "audit.json", ATTESTATION_FILE, SIGNER_FILE, INDEX_FILE)
"""What a report folder holds; a folder with none of them is not one."""


def verify_report(
    target: Path,
    *,
    trust: Path | None = None,
    allow_untrusted: bool = False,
    inputs: Path | None = None,
    allow_paths: tuple[Path, ...] = (),
    now: dt.datetime | None = None,
    ignored: frozenset[str] = frozenset(),
) -> VerificationReport:
    """`target` is a report folder, its `report.pdf`, or its attestation file. `trust` names the
    certificate(s) the signer must chain to; without it the trust check fails, unless
    `allow_untrusted` (integrity only). Raises `GovernanceError` only for usage mistakes
    (missing target, unreadable --trust or manifest); anything wrong with the report itself is
    a failed check. `allow_paths` widens where the inputs may be read from, as for the audit.
    Every file of the folder must be attested, but those named in `ignored`."""
    arguments = (target, trust, allow_untrusted, inputs, allow_paths, now, ignored)
    if not _event_loop_running():
        return _verify(*arguments)
    # pyHanko validates by starting an event loop, which a thread already running one (a
    # notebook's) cannot: the checks then run on a thread of their own.
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_verify, *arguments).result()


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _verify(
    target: Path,
    trust: Path | None,
    allow_untrusted: bool,
    inputs: Path | None,
    allow_paths: tuple[Path, ...],
    now: dt.datetime | None,
    ignored: frozenset[str],
) -> VerificationReport:
    if not target.exists():
        raise UsageError(f"{target} not found")
    if trust is not None and allow_untrusted:
        raise UsageError(
            "--trust and --allow-untrusted exclude each other",
            hint="keep --trust to check who signed the report",
        )
    pdf_only = target.is_file() and target.suffix.lower() == ".pdf"
    if pdf_only and inputs is not None:
        raise UsageError("--inputs needs the report folder or its attestation, not the PDF")
    if target.is_dir() and not any((target / name).exists() for name in _REPORT_FILES):
        raise UsageError(
            f"{target.as_posix()} is not a report folder: it holds none of "
            + ", ".join(_REPORT_FILES),
            hint="name the folder an audit wrote (its --out; by default reports/NAME)",
        )
    anchors = load_certificates(trust, "trusted certificate") if trust is not None else None
    folder = target if target.is_dir() else target.parent
    pdf = _pdf_findings(target if pdf_only else folder / PDF_REPORT)
    checks = list(pdf.checks)
    if pdf_only:
        signer, chain = pdf.signer, pdf.embedded
    else:
        signer_check, signer, chain = _signer(folder / SIGNER_FILE, pdf.signer)
        checks.append(signer_check)
    if signer is not None:
        checks.append(check_certificate(signer, now or dt.datetime.now(dt.UTC)))
        checks.append(check_trust(signer, chain, anchors, allow_untrusted=allow_untrusted))
    if not pdf_only:
        attestation = check_attestation(
            target if target.is_file() else folder / ATTESTATION_FILE, signer
        )
        checks.append(attestation.check)
        checks.append(check_subjects(folder, attestation.attested, ignored))
        checks.append(check_inputs(inputs, attestation.attested, allow_paths))
    return VerificationReport(
        target=target.as_posix(),
        checks=tuple(checks),
        integrity_only=allow_untrusted,
        warnings=_self_trust_warnings(trust, folder) + _unsigned_warning(folder, pdf_only),
    )


def _unsigned_warning(folder: Path, pdf_only: bool) -> tuple[str, ...]:
    """Why everything failed, when nothing in the folder is signed: neither an attestation
    nor the signer's certificate is there, as after an audit run without --sign (or once
    someone removed both: the warning states what is missing, not why)."""
    if pdf_only or (folder / ATTESTATION_FILE).exists() or (folder / SIGNER_FILE).exists():
        return ()
    return (
        f"{folder.as_posix()} holds no {ATTESTATION_FILE} nor {SIGNER_FILE}: nothing in it is "
        "signed. An audit signs its reports with --sign --key KEY --cert CERT (governance keys "
        "init makes a key).",
    )


def _self_trust_warnings(trust: Path | None, folder: Path) -> tuple[str, ...]:
    """A warning when --trust names a file of the report folder itself (its own signer.pem, or
    a link to it): whoever replaced the report replaced that file too, so trusting it proves
    nothing. A copy made elsewhere cannot be told from the signer's certificate obtained
    directly, which has the same bytes."""
    if trust is None:
        return ()
    own = folder / SIGNER_FILE
    same_file = own.is_file() and trust.is_file() and os.path.samefile(trust, own)
    if not same_file and trust.resolve().parent != folder.resolve():
        return ()
    return (
        f"--trust names {trust.name} of the report folder itself: anyone who can replace the "
        "report can replace it too, so the trust check proves nothing. Trust the signer's "
        "certificate obtained from them directly.",
    )


def _pdf_findings(pdf: Path) -> PdfSignatureFindings:
    if not pdf.is_file():
        return PdfSignatureFindings(
            (VerificationCheck.skipped("pdf-signature", f"no {PDF_REPORT}"),), None, ()
        )
    try:
        data = pdf.read_bytes()
    except OSError as error:  # unreadable (permissions, I/O): a failed check, not a crash
        reason = error.strerror or type(error).__name__
        failed = VerificationCheck.failed(
            "pdf-signature", f"{pdf.name}: cannot read the file ({reason})"
        )
        return PdfSignatureFindings((failed,), None, ())
    return check_pdf_signature(pdf.name, data)


def _signer(
    path: Path, pdf_signer: x509.Certificate | None
) -> tuple[VerificationCheck, x509.Certificate | None, tuple[x509.Certificate, ...]]:
    """The signer's certificate from `signer.pem`, which must be the one that signed the PDF."""
    if not path.is_file():
        return VerificationCheck.failed("signer", f"{path.name} not found"), None, ()
    try:
        signer, *chain = load_certificates(path, "signer certificate")
    except GovernanceError as error:  # unreadable, or no certificate in it
        return (
            VerificationCheck.failed("signer", f"{path.name}: {error.message}"),
            None,
            (),
        )
    if pdf_signer is not None and pdf_signer != signer:
        return (
            VerificationCheck.failed(
                "signer",
                f"the PDF was signed by {subject_of(pdf_signer)}, not by the certificate in "
                f"{path.name} ({subject_of(signer)})",
            ),
            signer,
            tuple(chain),
        )
    return (
        VerificationCheck.passed("signer", f"{subject_of(signer)} ({path.name})"),
        signer,
        tuple(chain),
    )
