"""`governance verify` accounts for every file of the folder, every line of the attestation and
every byte of the PDF, and prints what it quotes from certificates and files on one line each:
each tampering below fails, with its reason on one escaped line."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives.serialization import Encoding
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import AuditResult
from governance.signing.attestation import ATTESTATION_FILE, SIGNER_FILE
from governance.signing.dsse import sign_envelope
from governance.signing.verification.outcome import (
    CheckStatus,
    VerificationReport,
)
from governance.signing.verification.report_verification import verify_report
from tests.signing.report_factory import KeyFiles, Workspace, make_key_files, write_signed_report

FORGED_LINE = "VERIFIED: 8 passed, 0 failed, 0 skipped"


def statuses(report: VerificationReport) -> dict[str, CheckStatus]:
    return {check.name: check.status for check in report.checks}


def detail(report: VerificationReport, name: str) -> str:
    return next(c.detail for c in report.checks if c.name == name)


def _verify_cli(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(app, ["verify", *args])
    return outcome.exit_code, outcome.stdout


@pytest.mark.parametrize(
    "extra", ["extra-summary.html", ".hidden-notes", "attestation.intoto.jsonl.bak"]
)
def test_a_file_the_attestation_does_not_name_fails(workspace: Workspace, extra: str) -> None:
    (workspace.report / extra).write_text("<h1>verdict: passed</h1>")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["subjects"] is CheckStatus.FAILED
    assert detail(report, "subjects") == f"{extra} is present but not attested"
    assert not report.holds


def test_a_folder_the_attestation_does_not_name_fails(workspace: Workspace) -> None:
    (workspace.report / "appendix").mkdir()
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "subjects") == "appendix is present but not attested"


@pytest.mark.parametrize("name", ["summary.md", ATTESTATION_FILE, SIGNER_FILE, "report.pdf"])
def test_a_file_of_the_folder_that_is_a_symbolic_link_fails(
    workspace: Workspace, tmp_path: Path, name: str
) -> None:
    # The link leads to an identical copy today; whoever can write where it leads can change
    # what a reader opens tomorrow, without touching the verified folder.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace.report / name).rename(elsewhere / name)
    (workspace.report / name).symlink_to(elsewhere / name)
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["subjects"] is CheckStatus.FAILED
    assert f"{name} is a symbolic link, not a file of the folder" in detail(report, "subjects")
    assert not report.holds


def test_a_file_named_with_ignore_may_be_there_unattested(workspace: Workspace) -> None:
    (workspace.report / "notes.txt").write_text("reviewed on Monday")
    code, stdout = _verify_cli(
        str(workspace.report), "--trust", str(workspace.signer.cert), "--ignore", "notes.txt"
    )
    assert code == 0, stdout
    (workspace.report / "other.txt").write_text("not named")
    code, stdout = _verify_cli(
        str(workspace.report), "--trust", str(workspace.signer.cert), "--ignore", "notes.txt"
    )
    assert code == 1
    assert "other.txt is present but not attested" in stdout


def test_the_signer_certificate_and_the_index_are_attested(workspace: Workspace) -> None:
    # A second certificate appended to signer.pem changes a subject: it fails.
    other = make_key_files(workspace.report.parent / "other-keys", "Appended")
    with (workspace.report / SIGNER_FILE).open("ab") as stream:
        stream.write(other.cert.read_bytes())
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert "signer.pem differs from the attested file" in detail(report, "subjects")
    index = workspace.report / ".governance-index.json"
    shutil.copy(workspace.report / "audit.json", workspace.report / "audit.json.orig")
    index.write_text(index.read_text().replace('"files":[', '"files":["audit.json.orig",'))
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert ".governance-index.json differs from the attested file" in detail(report, "subjects")


def _envelope(workspace: Workspace) -> dict[str, object]:
    line = (workspace.report / ATTESTATION_FILE).read_text()
    envelope: dict[str, object] = json.loads(line)
    return envelope


@pytest.mark.parametrize(
    ("appended", "reason"),
    [
        ("forged", "the attestation file must hold exactly one envelope on one line"),
        ("\n", "the attestation file must hold exactly one envelope on one line"),
        ("spaces", "the attestation line has leading or trailing white space"),
    ],
)
def test_anything_after_the_one_envelope_fails(
    workspace: Workspace, other_signer: KeyFiles, appended: str, reason: str
) -> None:
    path = workspace.report / ATTESTATION_FILE
    if appended == "forged":  # an attacker's envelope: a statement of their own, validly signed
        envelope = _envelope(workspace)
        forged = sign_envelope(
            b'{"verdict": "passed"}', str(envelope["payloadType"]), other_signer.material.key
        )
        appended = json.dumps(forged) + "\n"
    if appended == "spaces":  # before the final newline: still one line, but not the one signed
        path.write_text(path.read_text().replace("\n", "  \n"))
    else:
        path.write_text(path.read_text() + appended)
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert statuses(report)["attestation"] is CheckStatus.FAILED
    assert detail(report, "attestation") == f"{ATTESTATION_FILE}: {reason}"
    assert not report.holds


def test_one_envelope_with_its_final_newline_or_without_verifies(workspace: Workspace) -> None:
    path = workspace.report / ATTESTATION_FILE
    assert path.read_text().count("\n") == 1
    path.write_text(path.read_text().removesuffix("\n"))
    assert verify_report(workspace.report, trust=workspace.signer.cert).holds


def _add_note(envelope: dict[str, Any]) -> None:
    envelope["note"] = "reviewed: every rule passed"


def _add_signature(envelope: dict[str, Any]) -> None:
    envelope["signatures"].append({"keyid": "regulator", "sig": "AAAA"})


def _annotate_signature(envelope: dict[str, Any]) -> None:
    envelope["signatures"][0]["approvedBy"] = "the regulator"


def _drop_keyid(envelope: dict[str, Any]) -> None:
    del envelope["signatures"][0]["keyid"]


@pytest.mark.parametrize(
    ("tamper", "spaced"),
    [
        (_add_note, False),
        (_add_signature, False),
        (_annotate_signature, False),
        (_drop_keyid, False),
        (lambda envelope: None, True),  # the same envelope, laid out with spaces
    ],
)
def test_an_envelope_carrying_anything_but_the_signed_envelope_fails(
    workspace: Workspace, tamper: Callable[[dict[str, Any]], None], spaced: bool
) -> None:
    # The attestation is the one file no subject digest covers: every byte of it must be the
    # envelope the signer wrote, or it carries text (an approval, a second "signature") that
    # a reader of the file would take as part of what verified.
    path = workspace.report / ATTESTATION_FILE
    envelope = json.loads(path.read_text())
    tamper(envelope)
    separators = (", ", ": ") if spaced else (",", ":")
    path.write_text(json.dumps(envelope, separators=separators) + "\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation") == (
        f"{ATTESTATION_FILE}: the attestation holds more than the signed envelope, or holds it "
        "differently written (extra keys or signatures, spacing, escapes)"
    )
    assert not report.holds


def test_an_envelope_repeating_a_key_fails(workspace: Workspace) -> None:
    # Readers disagree on which copy of a key wins: a second payload could be shown to one.
    path = workspace.report / ATTESTATION_FILE
    line = path.read_text().rstrip("\n")
    path.write_text(line[:-1] + ',"payloadType":"text/plain"}\n')
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation") == (
        f"{ATTESTATION_FILE}: the attestation repeats the key 'payloadType'"
    )


@pytest.mark.parametrize(
    ("envelope", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "the attestation nests arrays or objects too deeply"),
        ('{"payload": NaN}', "the attestation is not valid JSON: NaN is not a JSON number"),
        ('{"payload": ' + "9" * 5000 + "}", "the attestation holds a number too long to be read"),
    ],
)
def test_a_hostile_envelope_fails_the_check_with_its_reason(
    workspace: Workspace, envelope: str, reason: str
) -> None:
    (workspace.report / ATTESTATION_FILE).write_text(envelope + "\n")
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation").startswith(f"{ATTESTATION_FILE}: {reason}")
    assert not report.holds


def test_an_attestation_over_the_size_limit_is_refused_unread(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.signing.verification import attestation_checks

    size = (workspace.report / ATTESTATION_FILE).stat().st_size
    monkeypatch.setattr(attestation_checks, "MAX_ATTESTATION_BYTES", size - 1)
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation") == (
        f"{ATTESTATION_FILE} is larger than {size - 1:,} bytes"
    )


def test_an_attestation_that_is_a_fifo_is_refused_unread(workspace: Workspace) -> None:
    path = workspace.report / ATTESTATION_FILE
    path.unlink()
    os.mkfifo(path)  # reading it would wait for a writer forever
    report = verify_report(workspace.report, trust=workspace.signer.cert)
    assert detail(report, "attestation").startswith(ATTESTATION_FILE)
    assert not report.holds


def _contents_span(data: bytes) -> tuple[int, int]:
    start = data.index(b"/Contents <") + len(b"/Contents <")
    return start, data.index(b">", start)


def _flipped(data: bytes, position: int) -> bytes:
    """`data` with the hex digit at `position` replaced by another digit of the same case."""
    return _replaced(data, position, b"1" if data[position : position + 1] == b"0" else b"0")


def _replaced(data: bytes, position: int, byte: bytes) -> bytes:
    return data[:position] + byte + data[position + 1 :]


def test_every_byte_of_the_signature_contents_is_bound(workspace: Workspace) -> None:
    """A changed digit anywhere in /Contents — the CMS structure, both embedded copies of the
    certificate, the signature value, the zero padding — fails the PDF verified alone."""
    data = workspace.pdf.read_bytes()
    start, end = _contents_span(data)
    used = len(data[start:end].rstrip(b"0"))
    positions = [*range(start, start + used, 41), start + used + 1, end - 1]
    passed = []
    for position in positions:
        workspace.pdf.write_bytes(_flipped(data, position))
        report = verify_report(workspace.pdf, trust=workspace.signer.cert)
        if report.holds:
            passed.append(position - start)
    assert passed == [], f"flipped hex digits at these offsets still verified: {passed}"
    assert len(positions) > 50


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("padding", "bytes other than zero padding follow the CMS signature in /Contents"),
        ("case", "the signature's /Contents hex string mixes letter cases"),
        # pyHanko finds the signer's certificate changed (its signed ESS attribute hashes it)
        ("certificate", "cannot validate the signature (SignatureValidationError)"),
        ("certificate copy", "an embedded certificate is not on the signer's chain or was altered"),
        ("unsigned attribute", "the signature carries unsigned attributes"),
    ],
)
def test_a_changed_byte_the_signature_does_not_digest_fails_with_its_reason(
    workspace: Workspace, where: str, reason: str
) -> None:
    data = workspace.pdf.read_bytes()
    start, end = _contents_span(data)
    hex_text = data[start:end]
    if where == "padding":
        position = start + len(hex_text.rstrip(b"0")) + 100
        changed = _flipped(data, position)
    elif where == "unsigned attribute":
        changed = _with_unsigned_attribute(data, start, end)
    elif where == "case":
        position = start + next(i for i, c in enumerate(hex_text) if chr(c).isalpha())
        changed = _replaced(data, position, data[position : position + 1].lower())
    else:
        # The certificate is embedded twice (the signer's, bound by the signed ESS attribute,
        # and pyHanko's copy in the certificate set); a digit of its validity period is changed.
        certificate = workspace.signer.material.certificate
        der_hex = certificate.public_bytes(Encoding.DER).hex().upper().encode()
        copies = [start + i for i in range(len(hex_text)) if hex_text.startswith(der_hex, i)]
        assert len(copies) == 2
        # the low hex digit of the year's last character in notBefore (UTCTime, tag 17 0D),
        # found with its value: "170D" alone can also occur in the random key or serial
        not_before = certificate.not_valid_before_utc.strftime("%y%m%d%H%M%SZ")
        year = der_hex.index(b"170D" + not_before.encode().hex().upper().encode()) + 4 + 3
        copy = copies[1] if where == "certificate" else copies[0]
        digit = int(chr(data[copy + year]))
        changed = _replaced(data, copy + year, str(digit - 1 if digit else 1).encode())
    workspace.pdf.write_bytes(changed)
    report = verify_report(workspace.pdf, trust=workspace.signer.cert)
    assert statuses(report)["pdf-signature"] is CheckStatus.FAILED
    assert reason in detail(report, "pdf-signature")
    assert not report.holds


def _with_unsigned_attribute(data: bytes, start: int, end: int) -> bytes:
    """The same signature with an unsigned attribute added, in the room of the zero padding."""
    info = cms.ContentInfo.load(bytes.fromhex(data[start:end].decode()).rstrip(b"\0"))
    signer_info = info["content"]["signer_infos"][0]
    signer_info["unsigned_attrs"] = cms.CMSAttributes(
        [{"type": "signing_time", "values": [cms.Time({"utc_time": dt.datetime.now(dt.UTC)})]}]
    )
    blob = info.dump(force=True).hex().upper().encode()
    return data[:start] + blob + b"0" * (end - start - len(blob)) + data[end:]


def test_a_signer_name_with_a_newline_prints_on_one_line(
    tmp_path: Path, example_result: tuple[Path, AuditResult], report_pdf: bytes
) -> None:
    # RFC 4514 escapes a comma, so the forged line in the name has none
    mallory = make_key_files(tmp_path / "keys", "Mallory\nVERIFIED: 8 passed\u202e")
    folder = write_signed_report(
        tmp_path / "report", example_result[1], mallory.material, report_pdf
    )
    (folder / f"extra\n{FORGED_LINE}").write_text("forged")
    code, stdout = _verify_cli(str(folder), "--allow-untrusted")
    assert code == 1
    lines = stdout.splitlines()
    assert not any(line.startswith("VERIFIED") for line in lines), stdout
    assert "signer         CN=Mallory\\nVERIFIED: 8 passed\\u202e (signer.pem)\n" in stdout
    assert f"extra\\n{FORGED_LINE} is present but not attested" in stdout
    assert "\u202e" not in stdout
    assert lines[-4].startswith("NOT VERIFIED (integrity only)")


def test_trusting_the_folders_own_signer_certificate_warns_that_it_proves_nothing(
    workspace: Workspace,
) -> None:
    own = workspace.report / SIGNER_FILE
    link = workspace.report.parent / "trusted.pem"
    link.symlink_to(own)
    for trusted in (own, link):
        code, stdout = _verify_cli(str(workspace.report), "--trust", str(trusted))
        assert code == 0  # every check holds: the warning says what that is worth
        assert stdout.splitlines()[-1] == (
            "WARNING: --trust names signer.pem of the report folder itself: anyone who can "
            "replace the report can replace it too, so the trust check proves nothing. Trust "
            "the signer's certificate obtained from them directly."
        ).replace("names signer.pem", f"names {trusted.name}")
    code, stdout = _verify_cli(str(workspace.report), "--trust", str(workspace.signer.cert))
    assert code == 0 and "WARNING" not in stdout


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters")
def test_a_pdf_verified_alone_reports_its_name_escaped(workspace: Workspace) -> None:
    renamed = workspace.report / "report\r.pdf"
    workspace.pdf.rename(renamed)
    code, stdout = _verify_cli(str(renamed), "--trust", str(workspace.signer.cert))
    assert code == 0
    assert "report\\r.pdf: signature intact and valid" in stdout
    assert "\r" not in stdout
