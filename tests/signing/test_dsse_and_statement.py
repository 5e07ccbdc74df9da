"""The DSSE encoding and the in-toto statement, checked against their specifications."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from governance.engine.result import AuditResult
from governance.signing.asn1_conversion import asn1_certificate
from governance.signing.attestation import (
    PREDICATE_TYPE,
    StatementError,
    read_statement,
    statement_bytes,
)
from governance.signing.certificates import key_matches
from governance.signing.dsse import EnvelopeError, key_id, pae, sign_envelope, verify_envelope
from governance.signing.keys import public_key_der
from tests.signing.report_factory import KeyFiles


def test_pae_matches_the_dsse_specification_example() -> None:
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_statement_binds_subjects_verdict_rules_and_input_digests(
    example_result: tuple[Path, AuditResult],
) -> None:
    _, result = example_result
    payload = statement_bytes(result, {"audit.json": "ab" * 32, "report.pdf": "cd" * 32})
    assert payload == statement_bytes(result, {"report.pdf": "cd" * 32, "audit.json": "ab" * 32})
    statement = json.loads(payload)
    assert statement["subject"] == [
        {"name": "audit.json", "digest": {"sha256": "ab" * 32}},
        {"name": "report.pdf", "digest": {"sha256": "cd" * 32}},
    ]
    assert statement["predicateType"] == PREDICATE_TYPE
    predicate = statement["predicate"]
    assert predicate["verdict"] == result.verdict.value == "failed"
    assert predicate["audit"]["createdAt"] == result.audit.created_at.isoformat().replace(
        "+00:00", "Z"
    )
    assert {r["id"]: r["outcome"] for r in predicate["rules"]} == {
        r.id: r.outcome.value for r in result.rules
    }
    assert {i["path"]: i["digest"]["sha256"] for i in predicate["inputs"]} == {
        f.path: f.sha256 for f in result.inputs
    }
    assert {i["role"] for i in predicate["inputs"]} >= {"manifest", "policy", "dataset", "waivers"}
    assert predicate["tool"]["libraries"] == result.tool.libraries
    attested = read_statement(payload)
    assert attested.verdict == "failed" and set(attested.subjects) == {"audit.json", "report.pdf"}


def test_envelope_round_trip_and_malformed_envelopes(signer: KeyFiles) -> None:
    envelope = sign_envelope(b"{}", "application/vnd.in-toto+json", signer.material.key)
    public = signer.material.certificate.public_key()
    assert verify_envelope(envelope, public).payload == b"{}"  # type: ignore[arg-type]
    for broken in (
        {k: v for k, v in envelope.items() if k != "payload"},
        {**envelope, "payload": "%%% not base64"},
        {**envelope, "signatures": "none"},
        {**envelope, "payloadType": "text/plain"},  # the signature covers the type too
        {**envelope, "payload": base64.b64encode(b"{ }").decode()},
    ):
        with pytest.raises(EnvelopeError):
            verify_envelope(broken, public)  # type: ignore[arg-type]


def test_a_key_type_dsse_does_not_handle_fails_verification(signer: KeyFiles) -> None:
    # An envelope without a keyid is tried against any key: an unhandled key type must not let
    # it through unverified.
    envelope = sign_envelope(b"{}", "application/vnd.in-toto+json", signer.material.key)
    envelope["signatures"][0]["keyid"] = ""
    unsupported = ed25519.Ed25519PrivateKey.generate().public_key()
    with pytest.raises(EnvelopeError, match="unsupported public key type Ed25519"):
        verify_envelope(envelope, unsupported)  # type: ignore[arg-type]


def test_one_public_key_der_serves_key_ids_and_key_matching(
    signer: KeyFiles, other_signer: KeyFiles
) -> None:
    certificate = signer.material.certificate
    # the SubjectPublicKeyInfo exactly as the certificate carries it, read by another library
    spki = asn1_certificate(certificate)["tbs_certificate"]["subject_public_key_info"].dump()
    assert public_key_der(certificate.public_key()) == spki
    assert public_key_der(signer.material.key.public_key()) == spki
    assert key_id(certificate.public_key()) == hashlib.sha256(spki).hexdigest()
    assert key_matches(signer.material.key, certificate)
    assert not key_matches(other_signer.material.key, certificate)


def test_a_statement_that_repeats_a_key_is_refused_not_read_as_its_last_copy(
    example_result: tuple[Path, AuditResult],
) -> None:
    _, result = example_result
    payload = statement_bytes(result, {"audit.json": "ab" * 32})
    assert payload.endswith(b"}")
    # a second verdict appended: a plain JSON reader takes the last copy, "passed"
    forged = payload[:-1] + b',"predicate":{"verdict":"passed"}}'
    assert json.loads(forged)["predicate"] == {"verdict": "passed"}
    with pytest.raises(StatementError, match="repeats the key 'predicate'"):
        read_statement(forged)


@pytest.mark.parametrize(
    ("where", "named"),
    [("subject", "subject 'audit.json'"), ("inputs", "input 'audit.yaml'")],
)
def test_a_statement_naming_a_file_twice_is_refused_not_read_as_its_last_copy(
    example_result: tuple[Path, AuditResult], where: str, named: str
) -> None:
    # The list-level twin of a repeated key: verify took the last digest, while an in-toto
    # reader matching the first (or any) entry would vouch for another file.
    _, result = example_result
    statement = json.loads(statement_bytes(result, {"audit.json": "ab" * 32}))
    entries = statement["subject"] if where == "subject" else statement["predicate"]["inputs"]
    entries.append({**entries[0], "digest": {"sha256": "cd" * 32}})
    with pytest.raises(StatementError, match=f"names the {named} twice, with different digests"):
        read_statement(json.dumps(statement).encode())
