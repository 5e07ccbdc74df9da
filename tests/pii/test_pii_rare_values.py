"""Rare personal data in a large column: the default scan checks every row, so a zero-tolerance
rule fails on 0.1% of a million rows, with the findings of an exhaustive scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from governance.checks.pii.evidence import PiiEvidence
from governance.engine.result import Outcome, RuleResult
from tests.pii.audit_files import audit, only_rule, write_audit

ROWS = 1_000_000
RULE = """
- id: PII-RARE
  title: no phone numbers
  severity: critical
  pii: {entities: [PHONE_NUMBER]%s}
"""


@pytest.fixture(scope="module")
def rare_phones(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """remark: one row in 1,000 holds a phone number (1,000 distinct ones), the others a
    distinct digit-free reference each, so a sample of 1,000 distinct values would likely hold
    one phone number at most."""
    folder = tmp_path_factory.mktemp("rare")
    duckdb.connect().execute(
        f"""COPY (SELECT i AS id, CASE WHEN i % 1000 = 7
            THEN 'call (212) 555-' || lpad(((i // 1000) % 10000)::VARCHAR, 4, '0') || ' today'
            ELSE 'ref ' || translate(md5(i::VARCHAR), '0123456789', 'ghijklmnop') END AS remark
            FROM range({ROWS}) t(i)) TO '{folder / "rare.parquet"}' (FORMAT parquet)"""
    )
    return folder / "rare.parquet"


def run(folder: Path, data: Path, extra: str) -> RuleResult:
    folder.mkdir()
    path = write_audit(folder, RULE % extra, {"notes": {"path": str(data)}})
    return only_rule(audit(path, allow_paths=(data.parent,)))


def test_rare_phone_numbers_fail_the_default_scan_as_they_fail_an_exhaustive_one(
    tmp_path: Path, rare_phones: Path, analyzer: Any
) -> None:
    default = run(tmp_path / "default", rare_phones, "")
    exhaustive = run(tmp_path / "exhaustive", rare_phones, ", mode: exhaustive")
    assert default.outcome is exhaustive.outcome is Outcome.FAILED
    assert [f.message for f in default.findings] == [f.message for f in exhaustive.findings]
    assert "1,000 of its 1,000,000 distinct values" in default.findings[0].message
    assert isinstance(default.evidence, PiiEvidence)
    assert isinstance(exhaustive.evidence, PiiEvidence)
    (remark,) = (c for c in default.evidence.columns if c.column == "remark")
    (reference,) = (c for c in exhaustive.evidence.columns if c.column == "remark")
    assert remark.found == reference.found  # hits, rate, score, masked examples, verdict
    coverage = remark.candidates
    assert coverage is not None and coverage.complete and remark.complete
    assert (coverage.rows, coverage.candidate_rows, coverage.candidates) == (ROWS, 1000, 1000)
    assert remark.analysed == 1000  # presidio saw the candidates only
