"""No raw personal data leaves the scanner: a dataset seeded with known values is audited and
none of them appears in anything the audit writes, prints, logs or raises."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from governance.checks.pii import scanner as scanner_module
from governance.cli.app import app
from governance.engine.result import Outcome
from tests.pii.audit_files import audit, csv_text, only_rule, write_audit

SEEDED = {
    "email": "jane.secret@mail.example.com",
    "second_email": "omar.hidden@corp.example.org",
    "phone": "(646) 555-0199",
    "ssn": "536-22-8726",
    "card": "4111 1111 1111 1111",
    "iban": "GB82WEST12345698765432",
    "ip": "203.0.113.77",
}
FRAGMENTS = ("jane.secret", "omar.hidden", "555-0199", "536-22", "GB82WEST", "203.0.113")
RULES = """
- id: LEAK-1
  title: no direct identifiers
  severity: critical
  pii:
    entities: [EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, CREDIT_CARD, IBAN_CODE, IP_ADDRESS]
- id: LEAK-2
  title: exhaustively
  severity: critical
  pii:
    mode: exhaustive
    entities: [EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, CREDIT_CARD, IBAN_CODE, IP_ADDRESS]
- id: LEAK-3
  title: special categories
  severity: high
  pii: {special_categories: true}
"""


def _seeded_csv() -> str:
    rows = []
    for i in range(60):
        seeded = list(SEEDED.values())[i % len(SEEDED)]
        rows.append(
            [
                i,
                f'"note {i}: contact {seeded} please"',
                SEEDED["email"] if i % 2 else SEEDED["second_email"],
                SEEDED["ssn"] if i % 3 == 0 else "",
                f'"{SEEDED["card"]}"' if i % 5 == 0 else "",
                "diabetic" if i % 4 == 0 else "",
            ]
        )
    return csv_text(["id", "notes", "contact", "tax_id", "payment", "health_status"], rows)


def test_no_seeded_value_appears_in_any_output(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, analyzer: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    path = write_audit(
        tmp_path, RULES, {"people": {"path": "people.csv"}}, {"people.csv": _seeded_csv()}
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "audit",
            str(path),
            "--out",
            str(out),
            "-f",
            "console,json,md,oscal,openmetrics,cyclonedx",
        ],
    )
    assert result.exit_code == 1, result.output
    written = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(written) == {
        "audit.json",
        "summary.md",
        "assessment-results.json",
        "metrics.prom",
        "bom.cdx.json",
        ".governance-index.json",
    }
    assert "j***@m***.com" in written["assessment-results.json"]
    everything = {
        **written,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "logs": "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records),
    }
    # the audit did find them (masked), so the test can fail if masking breaks
    assert "j***@m***.com" in written["audit.json"]
    assert "***-**-8726" in written["audit.json"]
    for where, text in everything.items():
        for value in (*SEEDED.values(), *FRAGMENTS):
            assert value not in text, f"{value!r} leaked into {where}"


def test_a_scanner_failure_does_not_quote_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, analyzer: Any
) -> None:
    def failing_analyze(*args: Any, text: str = "", **kwargs: Any) -> Any:
        raise ValueError(f"cannot analyse {text!r}")

    monkeypatch.setattr(
        scanner_module,
        "shared_analyzer",
        lambda config: type("Broken", (), {"analyze": staticmethod(failing_analyze)})(),
    )
    path = write_audit(
        tmp_path,
        "- id: X\n  title: t\n  severity: high\n  pii: {entities: [EMAIL_ADDRESS]}\n",
        {"people": {"path": "people.csv"}},
        {"people.csv": csv_text(["contact"], [[SEEDED["email"]]])},
    )
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.ERRORED
    assert rule.reason is not None and "column 'contact'" in rule.reason
    assert "jane.secret" not in rule.reason
