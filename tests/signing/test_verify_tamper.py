"""`governance verify` passes on a signed report and fails, with the reason, on every tampered
copy (issue 6's list)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from governance.engine.result import AuditResult
from governance.errors import UsageError
from governance.render.formats import ReportFormat
from governance.render.json_report import render_json
from governance.render.markdown_summary import render_markdown
from governance.report_folder.publishing import publish_reports
from governance.severity import FailOn
from governance.signing.attestation import ATTESTATION_FILE, SIGNER_FILE
from governance.signing.certificates import (
    SignerIdentity,
    certificate_pem,
    self_signed_certificate,
)
from governance.signing.dsse import sign_envelope
from governance.signing.keys import KeyAlgorithm, SigningKey
from governance.signing.material import SigningMaterial
from governance.signing.pdf_signature import sign_pdf
from governance.signing.report_signing import sign_report_files
from governance.signing.verification.outcome import (
    CheckStatus,
    VerificationReport,
    render_verification,
)
from governance.signing.verification.report_verification import verify_report
from tests.signing.report_factory import (
    KeyFiles,
    Workspace,
    certificate_without_usages,
    ed25519_certificate,
    make_key_files,
    make_pdf,
    write_signed_report,
)


def statuses(report: VerificationReport) -> dict[str, CheckStatus]:
    return {check.name: check.status for check in report.checks}


def detail(report: VerificationReport, name: str) -> str:
    return next(c.detail for c in report.checks if c.name == name)


def test_an_untouched_report_verifies_with_every_check(workspace: Workspace) -> None:
    report = verify_report(workspace.report, trust=workspace.signer.cert, inputs=workspace.manifest)
    assert report.holds, report
    assert statuses(report) == {
        "pdf-signature": CheckStatus.PASSED,
        "pdf-coverage": CheckStatus.PASSED,
        "signer": CheckStatus.PASSED,
        "certificate": CheckStatus.PASSED,
        "trust": CheckStatus.PASSED,
        "attestation": CheckStatus.PASSED,
        "subjects": CheckStatus.PASSED,
        "inputs": CheckStatus.PASSED,
    }
    assert "5 report files match" in detail(report, "subjects")


def test_a_report_verifies_from_code_running_in_an_event_loop(workspace: Workspace) -> None:
    # A notebook runs its cells in an event loop: pyHanko's validation, which starts a loop of
    # its own, failed there ("cannot validate the signature (RuntimeError)"), and the trust
    # check raised, so a signed baseline could not be used from the Python API.
    async def verify_in_a_loop() -> VerificationReport:
        return verify_report(workspace.report, trust=workspace.signer.cert)

    report = asyncio.run(verify_in_a_loop())
    assert report.holds, report
    assert statuses(report)["pdf-signature"] is CheckStatus.PASSED


def test_byte_flipped_inside_the_signed_range_is_detected(workspace: Workspace) -> None:
    data = bytearray(workspace.pdf.read_bytes())
    # Inside the first signed range ([0, /Contents start)), in the page content, away from
    # the structure the parser needs: the digest must no longer match.
    position = data.index(b"stream") + 20
    data[position] ^= 0x01
    workspace.pdf.write_bytes(bytes(data))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert not report.holds
    assert statuses(report)["pdf-signature"] is CheckStatus.FAILED
    assert "signed bytes do not match" in detail(report, "pdf-signature")
    assert statuses(report)["subjects"] is CheckStatus.FAILED


def _append_update(pdf: Path, change: str) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    if change == "page":
        page = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Page"),
                generic.pdf_name("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (0, 0, 595, 842)]
                ),
                generic.pdf_name("/Resources"): generic.DictionaryObject(),
            }
        )
        writer.insert_page(page)
    else:
        annotation = writer.add_object(
            generic.DictionaryObject(
                {
                    generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                    generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
                    generic.pdf_name("/Rect"): generic.ArrayObject(
                        [generic.NumberObject(n) for n in (10, 10, 50, 50)]
                    ),
                    generic.pdf_name("/Contents"): generic.TextStringObject("verdict: passed"),
                }
            )
        )
        writer.register_annotation(writer.root["/Pages"]["/Kids"].raw_get(0), annotation)
    output = io.BytesIO()
    writer.write(output)
    pdf.write_bytes(output.getvalue())


def test_new_page_appended_after_signing_is_detected(workspace: Workspace) -> None:
    _append_update(workspace.pdf, "page")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.PASSED  # the signed revision holds
    assert statuses(report)["pdf-coverage"] is CheckStatus.FAILED
    assert "modified after signing" in detail(report, "pdf-coverage")
    assert not report.holds


def test_annotation_appended_after_signing_is_detected(workspace: Workspace) -> None:
    _append_update(workspace.pdf, "annotation")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["pdf-coverage"] is CheckStatus.FAILED
    assert not report.holds


def test_bytes_appended_after_signing_are_detected(workspace: Workspace) -> None:
    with workspace.pdf.open("ab") as stream:
        stream.write(b"\n% appended after signing\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert "bytes were appended after the signature" in detail(report, "pdf-coverage")
    assert not report.holds


def test_edited_audit_json_is_detected(workspace: Workspace) -> None:
    path = workspace.report / "audit.json"
    path.write_text(path.read_text().replace('"failed"', '"passed"'))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["subjects"] is CheckStatus.FAILED
    assert "audit.json differs from the attested file" in detail(report, "subjects")
    assert not report.holds


def test_edited_attestation_payload_is_detected(workspace: Workspace) -> None:
    path = workspace.report / ATTESTATION_FILE
    envelope = json.loads(path.read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["predicate"]["verdict"] = "passed"
    envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    path.write_text(json.dumps(envelope) + "\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert "no signature in the envelope verifies" in detail(report, "attestation")
    assert not report.holds


def test_subject_swapped_for_another_signed_pdf_is_detected(
    workspace: Workspace, signer: KeyFiles
) -> None:
    # A genuine, intact signed PDF by the same signer, but not the one this audit attested.
    workspace.pdf.write_bytes(sign_pdf(make_pdf("A different audit"), signer.material))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.PASSED
    assert statuses(report)["subjects"] is CheckStatus.FAILED
    assert "report.pdf differs" in detail(report, "subjects")
    assert not report.holds


def test_attestation_signed_by_another_key_is_detected(
    workspace: Workspace, other_signer: KeyFiles
) -> None:
    path = workspace.report / ATTESTATION_FILE
    envelope = json.loads(path.read_text())
    payload = base64.b64decode(envelope["payload"])
    forged = sign_envelope(payload, envelope["payloadType"], other_signer.material.key)
    path.write_text(json.dumps(forged) + "\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert not report.holds


def test_report_resigned_wholesale_by_another_key_fails_only_the_trust_check(
    workspace: Workspace, example_result: tuple[Path, AuditResult], other_signer: KeyFiles
) -> None:
    # Everything replaced consistently: only --trust can tell who signed.
    _, result = example_result
    for name in ("report.pdf", "audit.json", "summary.md", ATTESTATION_FILE, SIGNER_FILE):
        (workspace.report / name).unlink()
    write_signed_report(workspace.report, result, other_signer.material, make_pdf("Forged"))
    assert verify_report(workspace.report, allow_untrusted=True).holds  # integrity holds
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["trust"] is CheckStatus.FAILED
    assert "does not chain to the trusted certificate" in detail(report, "trust")
    assert not report.holds


def test_signer_certificate_replaced_is_detected(
    workspace: Workspace, other_signer: KeyFiles
) -> None:
    (workspace.report / SIGNER_FILE).write_bytes(certificate_pem(other_signer.material.certificate))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["signer"] is CheckStatus.FAILED
    assert "the PDF was signed by CN=Example Auditor" in detail(report, "signer")
    assert statuses(report)["attestation"] is CheckStatus.FAILED


def test_dataset_changed_after_the_audit_is_reported_by_inputs(workspace: Workspace) -> None:
    dataset = workspace.manifest.parent / "data" / "applicants.csv"
    duplicated_row = dataset.read_text().splitlines()[1]
    with dataset.open("a") as stream:
        stream.write(duplicated_row + "\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert, inputs=workspace.manifest)
    assert statuses(report)["inputs"] is CheckStatus.FAILED
    assert detail(report, "inputs") == "data/applicants.csv changed"
    assert statuses(report)["subjects"] is CheckStatus.PASSED  # the reports themselves hold
    assert not report.holds


def test_dataset_deleted_after_the_audit_is_reported_by_inputs(workspace: Workspace) -> None:
    (workspace.manifest.parent / "data" / "applicants.csv").unlink()
    report = verify_report(workspace.report, trust=workspace.signer.cert, inputs=workspace.manifest)
    assert statuses(report)["inputs"] is CheckStatus.FAILED
    assert "data/applicants.csv not found" in detail(report, "inputs")


def test_policy_edited_after_the_audit_is_reported_by_inputs(workspace: Workspace) -> None:
    policy = workspace.manifest.parent / "hiring-policy.yaml"
    policy.write_text(policy.read_text() + "\n# loosened after the audit\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert, inputs=workspace.manifest)
    assert detail(report, "inputs") == "hiring-policy.yaml changed"


def test_empty_attestation_is_detected(workspace: Workspace) -> None:
    (workspace.report / ATTESTATION_FILE).write_bytes(b"")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert "empty" in detail(report, "attestation")
    assert not report.holds


def test_truncated_attestation_is_detected(workspace: Workspace) -> None:
    path = workspace.report / ATTESTATION_FILE
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert "not valid JSON" in detail(report, "attestation")


def test_truncated_signed_pdf_is_detected(workspace: Workspace) -> None:
    data = workspace.pdf.read_bytes()
    workspace.pdf.write_bytes(data[: len(data) - 300])
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.FAILED
    assert not report.holds


def test_truncated_signature_contents_are_detected(workspace: Workspace) -> None:
    # Zero the signature's /Contents hex string: same length, no valid CMS inside.
    data = workspace.pdf.read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    workspace.pdf.write_bytes(data[:start] + b"0" * (end - start) + data[end:])
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.FAILED
    assert not report.holds


def test_missing_or_empty_signer_certificate_is_detected(workspace: Workspace) -> None:
    (workspace.report / SIGNER_FILE).write_bytes(b"")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "signer") == "signer.pem: not a valid signer certificate"
    assert statuses(report)["attestation"] is CheckStatus.FAILED


def test_expired_certificate_is_detected(
    tmp_path: Path, example_result: tuple[Path, AuditResult], report_pdf: bytes
) -> None:
    last_year = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    expired = make_key_files(tmp_path / "keys", "Expired Auditor", now=last_year, days=30)
    _, result = example_result
    folder = write_signed_report(tmp_path / "report", result, expired.material, report_pdf)
    # trust waived: the certificate check alone must fail the verification
    report = verify_report(folder, allow_untrusted=True)
    assert statuses(report)["certificate"] is CheckStatus.FAILED
    assert "expired on" in detail(report, "certificate")
    assert statuses(report)["pdf-signature"] is CheckStatus.PASSED
    assert not report.holds


def test_certificate_lacking_key_usages_is_detected(
    tmp_path: Path, example_result: tuple[Path, AuditResult], report_pdf: bytes
) -> None:
    keys = make_key_files(tmp_path / "keys", "Plain", algorithm=KeyAlgorithm.RSA_3072)
    bare = certificate_without_usages(keys.material.key, "Plain")
    _, result = example_result
    material = SigningMaterial(keys.material.key, bare)
    folder = write_signed_report(tmp_path / "report", result, material, report_pdf)
    report = verify_report(folder, allow_untrusted=True)  # the certificate check alone fails
    assert statuses(report)["certificate"] is CheckStatus.FAILED
    assert "has no key usage extension" in detail(report, "certificate")
    assert "has no extended key usage" in detail(report, "certificate")
    assert statuses(report)["attestation"] is CheckStatus.PASSED  # RSA signatures verify
    assert not report.holds


@pytest.mark.parametrize(
    ("make_key", "weakness"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), "1024-bit RSA"),
        (lambda: ec.generate_private_key(ec.SECP192R1()), "192-bit elliptic-curve"),
    ],
)
def test_a_signer_key_too_weak_to_sign_reports_fails_even_when_trusted(
    tmp_path: Path,
    example_result: tuple[Path, AuditResult],
    report_pdf: bytes,
    make_key: Callable[[], SigningKey],
    weakness: str,
) -> None:
    # A key anyone can factor or break forges any report: trusting its certificate (or the CA
    # that issued it) must not make its signatures count, as they never do when signing.
    key = make_key()
    certificate = self_signed_certificate(key, SignerIdentity("Weak"), days=30)
    (tmp_path / "weak.pem").write_bytes(certificate_pem(certificate))
    _, result = example_result
    folder = write_signed_report(
        tmp_path / "report", result, SigningMaterial(key, certificate), report_pdf
    )
    for target in (folder, folder / "report.pdf"):
        report = verify_report(target, trust=tmp_path / "weak.pem")
        assert statuses(report)["certificate"] is CheckStatus.FAILED
        assert f"has a {weakness} key, too weak to sign reports" in detail(report, "certificate")
        assert not report.holds


def test_the_attestation_line_says_which_audit_and_which_gate_gave_the_verdict(
    tmp_path: Path, example_result: tuple[Path, AuditResult], signer: KeyFiles, report_pdf: bytes
) -> None:
    # A report-only run (--fail-on none) of the same inputs, by the same signer, verifies as
    # well as the gating one: the verdict alone ("passed_with_waivers") would pass it off as a
    # clean audit, and a folder of another audit would pass unnamed.
    _, result = example_result
    report_only = result.model_copy(
        update={"audit": result.audit.model_copy(update={"fail_on": FailOn.NONE})}
    )
    folder = write_signed_report(tmp_path / "report", report_only, signer.material, report_pdf)
    report = verify_report(folder, trust=signer.cert)
    assert report.holds
    assert detail(report, "attestation").startswith(
        "attestation.intoto.jsonl: DSSE signature valid; audit hiring-screen-v3, verdict "
        f"{report_only.verdict.value} with --fail-on none (10 rules failed), audited "
    )


def test_unsigned_pdf_fails(workspace: Workspace, report_pdf: bytes) -> None:
    workspace.pdf.write_bytes(report_pdf)
    report = verify_report(workspace.pdf, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.FAILED
    assert "carries no signature" in detail(report, "pdf-signature")
    assert not report.holds


def test_the_pdf_alone_verifies(workspace: Workspace) -> None:
    report = verify_report(workspace.pdf, trust=workspace.signer.cert)
    assert report.holds
    assert set(statuses(report)) == {"pdf-signature", "pdf-coverage", "certificate", "trust"}


def test_the_attestation_file_alone_verifies_without_a_pdf(workspace: Workspace) -> None:
    report = verify_report(workspace.report / ATTESTATION_FILE, trust=workspace.signer.cert)
    assert report.holds
    workspace.pdf.unlink()
    report = verify_report(workspace.report / ATTESTATION_FILE, trust=workspace.signer.cert)
    assert "report.pdf is missing" in detail(report, "subjects")
    assert not report.holds


def test_a_pdf_the_attestation_does_not_name_is_detected(
    tmp_path: Path, example_result: tuple[Path, AuditResult], signer: KeyFiles
) -> None:
    # Reports signed without a PDF; a genuine signed PDF from elsewhere is put beside them.
    folder = write_signed_report(tmp_path / "report", example_result[1], signer.material, None)
    (folder / "report.pdf").write_bytes(sign_pdf(make_pdf("Another audit"), signer.material))
    report = verify_report(folder, trust=signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.PASSED
    assert "report.pdf is present but not attested" in detail(report, "subjects")
    assert not report.holds


@pytest.mark.parametrize(
    "unattested", sorted(f.file_name for f in ReportFormat if f.file_name is not None)
)
def test_every_report_file_the_attestation_does_not_name_is_detected(
    tmp_path: Path, example_result: tuple[Path, AuditResult], signer: KeyFiles, unattested: str
) -> None:
    # Signed with one format only (`-f md`, or `-f json` when the forged file is the summary);
    # a forged report file of another format is then put beside it.
    _, result = example_result
    signed = "audit.json" if unattested == "summary.md" else "summary.md"
    rendered = {"audit.json": render_json(result), "summary.md": render_markdown(result)}
    files = sign_report_files({signed: rendered[signed]}, result, signer.material)
    folder = tmp_path / "report"
    publish_reports(folder, files)
    (folder / unattested).write_bytes(b"forged")
    report = verify_report(folder, trust=signer.cert)
    assert statuses(report)["subjects"] is CheckStatus.FAILED
    assert detail(report, "subjects") == f"{unattested} is present but not attested"
    assert not report.holds


def test_without_trust_verification_fails_saying_nothing_establishes_the_signer(
    workspace: Workspace,
) -> None:
    for target in (workspace.report, workspace.pdf):
        report = verify_report(target)
        assert statuses(report)["trust"] is CheckStatus.FAILED
        assert "nothing establishes who signed this report" in detail(report, "trust")
        assert [c.name for c in report.failures()] == ["trust"]  # the rest is intact
        assert not report.holds


def test_allow_untrusted_checks_integrity_only_and_says_so(workspace: Workspace) -> None:
    report = verify_report(workspace.report, allow_untrusted=True)
    assert report.holds
    assert statuses(report)["trust"] is CheckStatus.SKIPPED
    assert "who signed is not checked" in detail(report, "trust")
    assert "intact" not in detail(report, "trust")
    text = render_verification(report)
    assert "VERIFIED (integrity only): 6 passed, 0 failed, 2 skipped" in text
    assert text.splitlines()[-3].startswith("WARNING: --allow-untrusted: nothing establishes")
    # integrity is still checked: a tampered file fails even when trust is waived
    (workspace.report / "summary.md").write_text("All good.\n")
    tampered = verify_report(workspace.report, allow_untrusted=True)
    assert [c.name for c in tampered.failures()] == ["subjects"]
    assert "NOT VERIFIED (integrity only)" in render_verification(tampered)


def test_trust_and_allow_untrusted_together_are_a_usage_error(workspace: Workspace) -> None:
    with pytest.raises(UsageError, match="exclude each other"):
        verify_report(workspace.report, trust=workspace.signer.cert, allow_untrusted=True)


def test_signer_certificate_with_an_unsupported_key_type_fails_the_attestation_check(
    workspace: Workspace,
) -> None:
    (workspace.report / SIGNER_FILE).write_bytes(certificate_pem(ed25519_certificate("Mallory")))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert detail(report, "attestation") == (
        "signer.pem: unsupported public key type Ed25519 in certificate CN=Mallory "
        "(reports are signed with ECDSA or RSA keys)"
    )
    assert statuses(report)["subjects"] is CheckStatus.SKIPPED
    assert not report.holds


def _make_unreadable(path: Path) -> None:
    """Replace `path` by a file whose every read fails with an OSError, even for root: reading
    /proc/self/mem at offset 0 (never mapped) gives EIO."""
    path.unlink()
    path.symlink_to("/proc/self/mem")


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("name", "check", "reason"),
    [
        (ATTESTATION_FILE, "attestation", f"cannot read {ATTESTATION_FILE}: Input/output error"),
        ("summary.md", "subjects", "summary.md cannot be read (Input/output error)"),
        ("report.pdf", "pdf-signature", "report.pdf: cannot read the file (Input/output error)"),
        (SIGNER_FILE, "signer", "cannot read the signer certificate: Input/output error"),
    ],
)
def test_a_report_file_that_cannot_be_read_is_a_failed_check(
    workspace: Workspace, name: str, check: str, reason: str
) -> None:
    _make_unreadable(workspace.report / name)
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)[check] is CheckStatus.FAILED
    assert reason in detail(report, check)
    assert not report.holds


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_attestation_without_read_permission_is_a_failed_check(workspace: Workspace) -> None:
    (workspace.report / ATTESTATION_FILE).chmod(0)
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation") == f"cannot read {ATTESTATION_FILE}: Permission denied"
