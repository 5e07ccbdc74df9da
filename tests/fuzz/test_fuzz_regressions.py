"""Inputs the fuzz harness (`fuzz/`) found that raised something other than the tool's own
errors, each reduced to a minimal file: every one is now a clear error (or, for verify, a
failed check)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from fuzz.verify_targets import signed_report
from governance.config.yaml_document import load_yaml_document
from governance.errors import InputError
from governance.manifest import load_manifest
from governance.signing.attestation import ATTESTATION_FILE, PAYLOAD_TYPE
from governance.signing.certificates import load_certificates
from governance.signing.dsse import EnvelopeError, envelope_line, sign_envelope, verify_envelope
from governance.signing.keys import KeyAlgorithm, generate_private_key
from governance.signing.verification.outcome import CheckStatus, render_verification
from governance.signing.verification.report_verification import verify_report


def _yaml_error(tmp_path: Path, content: bytes) -> InputError:
    path = tmp_path / "policy.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_yaml_document(path, "policy")
    return caught.value


@pytest.mark.parametrize("character", [b"\x01", b"\x0b", b"\x1a", b"\x1b", b"\x7f"])
def test_a_control_character_is_an_input_error_at_its_line_and_column(tmp_path, character):
    # PyYAML's reader refused these in SafeLoader's constructor, outside the error handling.
    error = _yaml_error(tmp_path, b"policy: a\nversion: 1" + character + b"\n")
    assert f"control character #x{character[0]:04x}" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 11)


def test_a_control_character_in_a_manifest_names_the_manifest(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_bytes(b"name: a\x01\npolicies: [builtin:baseline]\n")
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    assert caught.value.diagnostics().startswith(f"{path}:1:8: audit manifest is not valid YAML")


@pytest.mark.parametrize("escape", [rb'"\U80041351"', rb'"\U00360036"'])
def test_an_escape_beyond_unicode_is_an_input_error(tmp_path, escape):
    # PyYAML's scanner called chr() on it: OverflowError or ValueError.
    error = _yaml_error(tmp_path, b"policy: a\ndescription: " + escape + b"\n")
    assert "escape sequence names no Unicode character" in error.message
    assert error.location is not None and error.location.line == 2


@pytest.mark.parametrize(
    "content",
    [
        b"expires: !!timestamp 'next week'\n",  # AttributeError in PyYAML's constructor
        b"override: !!bool 'maybe'\n",  # KeyError
        b"!!timestamp '2027': x\n",  # the same, as a key
        b"threshold: !!float '0.5x'\n",
    ],
)
def test_a_value_that_does_not_match_its_explicit_tag_is_an_input_error(tmp_path, content):
    error = _yaml_error(tmp_path, content)
    assert "does not match its tag" in error.message
    assert error.location is not None and error.location.line == 1


def test_explicit_tags_that_match_their_value_still_load(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"a: !!str 2026\nb: !!int '7'\nc: !!timestamp 2027-01-02\n")
    data = load_yaml_document(path, "policy").data
    assert (data["a"], data["b"], str(data["c"])) == ("2026", 7, "2027-01-02")


def test_an_envelope_with_a_non_ascii_payload_is_malformed_not_a_crash():
    # base64 raises a plain ValueError (not binascii.Error) on non-ASCII text: `verify` crashed
    # with a traceback on such an attestation instead of failing its attestation check.
    key = generate_private_key(KeyAlgorithm.ECDSA_P256)
    envelope = {"payload": "é", "payloadType": PAYLOAD_TYPE, "signatures": []}
    with pytest.raises(EnvelopeError, match="malformed"):
        verify_envelope(envelope, key.public_key())


def test_verify_fails_the_attestation_check_on_a_non_ascii_payload(tmp_path):
    report = signed_report()
    for name, content in report.files.items():
        (tmp_path / name).write_bytes(content)
    envelope = json.loads(report.files[ATTESTATION_FILE])
    envelope["payload"] = "\u00e9" + envelope["payload"][1:]
    (tmp_path / ATTESTATION_FILE).write_text(json.dumps(envelope) + "\n", encoding="utf-8")
    outcome = verify_report(tmp_path, trust=report.trust)
    attestation = next(c for c in outcome.checks if c.name == "attestation")
    assert attestation.status is CheckStatus.FAILED
    assert "malformed" in attestation.detail
    assert not outcome.holds


def test_verify_logs_no_library_traceback_for_an_unknown_signature_subfilter(tmp_path, caplog):
    # pyHanko logs a traceback (which Python prints on the terminal) while listing a PDF's
    # signatures when one has a SubFilter it does not know; only its validation was muted.
    report = signed_report()
    for name, content in report.files.items():
        (tmp_path / name).write_bytes(content)
    pdf = report.files["report.pdf"].replace(b"ETSI.CAdES.detached", b"ETSI.CAdES.dmtached")
    (tmp_path / "report.pdf").write_bytes(pdf)
    outcome = verify_report(tmp_path, trust=report.trust)
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    pdf_check = next(c for c in outcome.checks if c.name == "pdf-signature")
    assert pdf_check.detail == "report.pdf: the PDF carries no signature"
    assert not outcome.holds


@pytest.mark.parametrize(
    "subject_name",
    [
        "\ud800",  # a lone surrogate: verify could not print its own report (internal error)
        5,  # not a string: Path / 5 raised TypeError in the subjects check
    ],
)
def test_verify_fails_the_attestation_check_on_an_unusable_subject_name(tmp_path, subject_name):
    # Signed with the signer's own key: anyone can make such an attestation.
    report = signed_report()
    for name, content in report.files.items():
        (tmp_path / name).write_bytes(content)
    statement = json.loads(base64.b64decode(json.loads(report.files[ATTESTATION_FILE])["payload"]))
    statement["subject"][0]["name"] = subject_name
    payload = json.dumps(statement).encode()
    envelope = sign_envelope(payload, PAYLOAD_TYPE, report.material.key)
    (tmp_path / ATTESTATION_FILE).write_text(envelope_line(envelope) + "\n", encoding="utf-8")
    outcome = verify_report(tmp_path, allow_untrusted=True)
    attestation = next(c for c in outcome.checks if c.name == "attestation")
    assert attestation.status is CheckStatus.FAILED
    assert attestation.detail == f"{ATTESTATION_FILE}: the statement is malformed"
    render_verification(outcome).encode("utf-8")


def test_verify_prints_names_from_the_attestation_on_one_line_without_control_characters(
    tmp_path,
):
    # A subject name came out as written: a newline forged a line of the report, and an escape
    # sequence drove the auditor's terminal (here: conceal the text that follows).
    report = signed_report()
    for name, content in report.files.items():
        (tmp_path / name).write_bytes(content)
    statement = json.loads(base64.b64decode(json.loads(report.files[ATTESTATION_FILE])["payload"]))
    statement["subject"][0]["name"] = "x\n  ok      trust    forged\x1b[8m"
    envelope = sign_envelope(json.dumps(statement).encode(), PAYLOAD_TYPE, report.material.key)
    (tmp_path / ATTESTATION_FILE).write_text(envelope_line(envelope) + "\n", encoding="utf-8")
    outcome = verify_report(tmp_path, trust=report.trust)
    lines = render_verification(outcome).split("\n")
    assert len(lines) == len(outcome.checks) + 2
    subjects = next(line for line in lines if "subjects" in line)
    assert "x\\n  ok      trust    forged\\x1b[8m is missing" in subjects
    assert all(line.isprintable() for line in lines)


def _bit_flips(data: bytes) -> list[bytes]:
    flipped = []
    for index in range(len(data)):
        for bit in range(8):
            copy = bytearray(data)
            copy[index] ^= 1 << bit
            flipped.append(bytes(copy))
    return flipped


def _fields(certificate: x509.Certificate) -> None:
    certificate.subject.rfc4514_string()
    certificate.issuer.rfc4514_string()
    certificate.public_key()
    list(certificate.extensions)


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_a_certificate_loads_whole_or_is_an_input_error(tmp_path):
    # cryptography parses a certificate's fields only when first read: a signer.pem with a
    # mangled subject, key or extension loaded, then raised ValueError, UnsupportedAlgorithm or
    # DuplicateExtension inside verify's checks; a bad version raised InvalidVersion on load.
    der = signed_report().material.certificate.public_bytes(Encoding.DER)
    path = tmp_path / "signer.der"
    refused = 0
    for data in _bit_flips(der):
        path.write_bytes(data)
        try:
            certificates = load_certificates(path, "signer certificate")
        except InputError as error:
            assert error.message == "not a valid signer certificate"
            refused += 1
            continue
        for certificate in certificates:
            _fields(certificate)
    assert refused > 0


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_verify_fails_the_signer_check_on_a_certificate_with_a_mangled_subject(tmp_path):
    report = signed_report()
    for name, content in report.files.items():
        (tmp_path / name).write_bytes(content)
    der = report.material.certificate.public_bytes(Encoding.DER)
    mangled = next(data for data in _bit_flips(der) if _loads_but_subject_fails(data))
    (tmp_path / "signer.pem").write_bytes(mangled)
    outcome = verify_report(tmp_path, trust=report.trust)
    signer = next(c for c in outcome.checks if c.name == "signer")
    assert signer.status is CheckStatus.FAILED
    assert signer.detail == "signer.pem: not a valid signer certificate"


def _loads_but_subject_fails(data: bytes) -> bool:
    try:
        certificate = x509.load_der_x509_certificate(data)
    except Exception:
        return False
    try:
        certificate.subject.rfc4514_string()
    except ValueError:
        return True
    return False
