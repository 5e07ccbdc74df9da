"""The signed report verifies with tools that share no code with ours: poppler's `pdfsig` for
the PDF signature and securesystemslib for the DSSE envelope (public key only)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey

from governance.engine.result import AuditResult
from governance.hashing import file_sha256
from governance.signing.attestation import ATTESTATION_FILE, PREDICATE_TYPE, SIGNER_FILE
from governance.signing.keys import KeyAlgorithm
from tests.signing.report_factory import Workspace, make_key_files, write_signed_report


def _pdfsig(pdf: Path) -> str:
    if shutil.which("pdfsig") is None:
        if os.environ.get("CI"):
            pytest.fail("pdfsig (poppler-utils) must be installed in CI")
        pytest.skip("pdfsig (poppler-utils) is not installed")
    run = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=30)
    return run.stdout + run.stderr


def test_pdfsig_reports_a_valid_signature_over_the_whole_document(workspace: Workspace) -> None:
    output = _pdfsig(workspace.pdf)
    assert "Signature is Valid" in output
    assert "Total document signed" in output
    assert "Not total document signed" not in output
    assert "Signature Type: ETSI.CAdES.detached" in output  # PAdES, not adbe.pkcs7.detached


def test_pdfsig_sees_a_later_update_as_partial_coverage(workspace: Workspace) -> None:
    with workspace.pdf.open("ab") as stream:  # an appended (empty) revision
        stream.write(b"\n% appended after signing\n")
    output = _pdfsig(workspace.pdf)
    assert "Not total document signed" in output


def _public_key(report: Path) -> SSlibKey:
    """The verifier's key from the public certificate only; keyid = sha256(SPKI DER)."""
    from cryptography import x509

    certificate = x509.load_pem_x509_certificate((report / SIGNER_FILE).read_bytes())
    public = certificate.public_key()
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SSlibKey.from_crypto(public, keyid=hashlib.sha256(spki).hexdigest())


def _envelope(report: Path) -> Envelope:
    line = (report / ATTESTATION_FILE).read_text().splitlines()[0]
    return Envelope.from_dict(json.loads(line))


def test_securesystemslib_verifies_the_envelope_with_the_public_key(workspace: Workspace) -> None:
    envelope = _envelope(workspace.report)
    key = _public_key(workspace.report)
    assert set(envelope.verify([key], 1)) == {key.keyid}
    statement = json.loads(envelope.payload)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == PREDICATE_TYPE
    subjects = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
    # every file of the folder but the attestation itself, checked with sha256 alone
    assert subjects == {
        path.name: file_sha256(path)[0]
        for path in workspace.report.iterdir()
        if path.name != "attestation.intoto.jsonl"
    }
    assert set(subjects) == {
        ".governance-index.json",
        "audit.json",
        "report.pdf",
        "signer.pem",
        "summary.md",
    }


def test_an_rsa_signed_report_verifies_with_pdfsig_and_securesystemslib(
    tmp_path: Path, example_result: tuple[Path, AuditResult], report_pdf: bytes
) -> None:
    keys = make_key_files(tmp_path / "keys", "RSA Auditor", algorithm=KeyAlgorithm.RSA_3072)
    report = write_signed_report(tmp_path / "report", example_result[1], keys.material, report_pdf)
    key = _public_key(report)
    assert key.scheme == "rsassa-pss-sha256"
    assert _envelope(report).verify([key], 1)
    output = _pdfsig(report / "report.pdf")
    assert "Signature is Valid" in output and "Total document signed" in output


def test_securesystemslib_rejects_an_edited_payload(workspace: Workspace) -> None:
    path = workspace.report / ATTESTATION_FILE
    envelope = json.loads(path.read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["predicate"]["verdict"] = "passed"
    envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    with pytest.raises(VerificationError):
        Envelope.from_dict(envelope).verify([_public_key(workspace.report)], 1)
