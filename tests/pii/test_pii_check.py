"""The pii rule end to end: what an audit reports for datasets with known personal data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd

import governance
from governance.checks.pii.column_context import column_facts
from governance.checks.pii.evidence import ColumnEvidence, PiiEvidence
from governance.checks.pii.scanner import ScanBatch
from governance.checks.pii.worker_pool import ScanExecutor
from governance.engine.result import Outcome
from governance.personal_data.analyzer import AnalyzerConfig
from tests.pii.audit_files import audit, csv_text, only_rule, write_audit

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hiring"
EMAILS_RULE = """
- id: PII-1
  title: no emails
  severity: critical
  pii: {entities: [EMAIL_ADDRESS, PHONE_NUMBER]%s}
"""


def evidence_of(result: Any) -> PiiEvidence:
    evidence = result.evidence
    assert isinstance(evidence, PiiEvidence)
    return evidence


def column(evidence: PiiEvidence, name: str) -> ColumnEvidence:
    return next(c for c in evidence.columns if c.column == name)


def test_hiring_example_reports_the_notes_and_allows_the_declared_contact(
    tmp_path: Path, analyzer: Any
) -> None:
    folder = tmp_path / "hiring"
    shutil.copytree(EXAMPLE, folder)
    result = audit(folder / "audit.yaml")
    identifiers = next(r for r in result.rules if r.id == "GDPR-PII-001")
    assert identifiers.outcome is Outcome.PASSED  # no cards, accounts or national ids
    rule = next(r for r in result.rules if r.id == "GDPR-PII-003")
    assert rule.outcome is Outcome.FAILED
    assert {(f.scope.dataset, f.scope.column) for f in rule.findings} == {("applicants", "notes")}
    messages = " ".join(f.message for f in rule.findings)
    assert "EMAIL_ADDRESS" in messages and "PHONE_NUMBER" in messages
    assert "a***@e***.org" in messages
    evidence = evidence_of(rule)
    contact = column(evidence, "contact_email")
    email = next(s for s in contact.found if s.entity == "EMAIL_ADDRESS")
    assert email.declared and not email.violation
    assert (contact.scanned, contact.complete) == (1000, False)
    assert contact.bound_if_none is not None and 0.0029 < contact.bound_if_none < 0.0030
    notes = column(evidence, "notes")
    assert notes.complete and all(s.violation for s in notes.found)
    assert (evidence.seed, evidence.sample_size, evidence.mode) == (0, 1000, "default")
    art9 = next(r for r in result.rules if r.id == "GDPR-PII-002")
    assert art9.outcome is Outcome.PASSED  # race_ethnicity is a declared sensitive feature
    assert column(evidence_of(art9), "race_ethnicity").special_category_declared
    tables = evidence.tables()
    assert tables[1].title.startswith("Personal data found")
    # The columns table speaks words, and gives the bound only where nothing was found (beside
    # a found entity it would read as that entity's rate).
    scanned = {row[0]: row for row in tables[0].rows}
    assert scanned["applicants.score"][2] == "not scanned (numeric)"
    assert scanned["applicants.contact_email"][5] is None
    assert scanned["applicants.applicant_id"][5] is not None
    chart = evidence.charts()[0]
    assert {bar.label for bar in chart.bars if bar.flagged} == {
        "applicants.notes EMAIL_ADDRESS",
        "applicants.notes PHONE_NUMBER",
    }


def _letters(number: int) -> str:
    """A distinct word per number, without digits (so the phone recognizer is ruled out)."""
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word += chr(ord("a") + rest)
        if not number:
            return word


def _people(count: int, every: int) -> str:
    rows = [
        [i, f"person.{_letters(i)}@mail.example.com" if i % every == 0 else f"ref {_letters(i)} ok"]
        for i in range(count)
    ]
    return csv_text(["id", "remark"], rows)


def test_many_candidates_are_sampled_deterministically_and_bounded_by_their_share(
    tmp_path: Path, analyzer: Any
) -> None:
    path = write_audit(
        tmp_path,
        EMAILS_RULE % ", sample_size: 100, seed: 11",
        {"people": {"path": "people.csv"}},
        {"people.csv": _people(3000, 10)},  # 300 e-mails: more candidates than the sample
    )
    first, second = (evidence_of(only_rule(audit(path))) for _ in range(2))
    assert first == second
    remark = column(first, "remark")
    coverage = remark.candidates
    assert coverage is not None and not coverage.complete and not remark.complete
    assert (coverage.rows, coverage.candidate_rows, coverage.verified) == (3000, 300, 100)
    assert 270 <= coverage.candidates <= 330  # estimated
    stats = remark.found[0]
    assert (stats.hits, stats.scanned) == (100, 100)
    # Every candidate sampled holds an e-mail, and no value outside them can: the rate is the
    # candidates' share, not the sample's 100%.
    assert stats.candidate_share is not None and 0.09 <= stats.candidate_share <= 0.11
    assert stats.hit_rate == stats.candidate_share == stats.upper_bound
    assert "100 of 100 sampled candidates" in only_rule(audit(path)).findings[0].message
    assert (first.seed, first.sample_size) == (11, 100)


def test_entities_without_a_pattern_are_sampled_beside_the_candidates(
    tmp_path: Path, analyzer: Any
) -> None:
    rules = """
    - id: PII-1
      title: no emails or urls
      severity: critical
      pii: {entities: [EMAIL_ADDRESS, URL], sample_size: 300}
    """
    path = write_audit(
        tmp_path, rules, {"people": {"path": "people.csv"}}, {"people.csv": _people(3000, 100)}
    )
    remark = column(evidence_of(only_rule(audit(path))), "remark")
    assert remark.candidates is not None and remark.candidates.complete
    assert (remark.candidates.entities, remark.candidates.sampled) == (("EMAIL_ADDRESS",), ("URL",))
    email = next(s for s in remark.found if s.entity == "EMAIL_ADDRESS")
    assert (email.hits, email.scanned, email.upper_bound) == (30, 3000, None)
    assert not remark.complete and remark.bound_if_none is not None  # URL: a sample of 300


def test_exhaustive_mode_counts_every_distinct_value(tmp_path: Path, analyzer: Any) -> None:
    path = write_audit(
        tmp_path,
        EMAILS_RULE % ", mode: exhaustive",
        {"people": {"path": "people.csv"}},
        {"people.csv": _people(3000, 10)},
    )
    first, second = (column(evidence_of(only_rule(audit(path))), "remark") for _ in range(2))
    assert (first.scanned, first.complete, first.found[0].hits) == (3000, True, 300)
    assert first.found[0].upper_bound is None
    assert first == second  # same examples in the same order: reports are reproducible


def test_tolerance_is_judged_on_the_statistics(tmp_path: Path, analyzer: Any) -> None:
    files = {"people.csv": _people(2000, 100)}  # 1% of values hold an email
    datasets = {"people": {"path": "people.csv"}}
    lenient = write_audit(
        tmp_path / "a", EMAILS_RULE % ", mode: exhaustive, tolerance: 0.02", datasets, files
    )
    strict = write_audit(
        tmp_path / "b", EMAILS_RULE % ", mode: exhaustive, tolerance: 0.005", datasets, files
    )
    assert only_rule(audit(lenient)).outcome is Outcome.PASSED
    assert only_rule(audit(strict)).outcome is Outcome.FAILED


def test_declared_columns_are_allowed_only_their_declared_entity(
    tmp_path: Path, analyzer: Any
) -> None:
    data = csv_text(
        ["contact", "other"],
        [[f"c{i}@mail.example.com", f"o{i}@mail.example.com"] for i in range(20)],
    )
    path = write_audit(
        tmp_path,
        EMAILS_RULE % "",
        {
            "crm": {
                "path": "crm.csv",
                "pii_columns": {"contact": "EMAIL_ADDRESS", "other": "PHONE_NUMBER"},
            }
        },
        {"crm.csv": data},
    )
    rule = only_rule(audit(path))
    assert [f.scope.column for f in rule.findings] == ["other"]


def test_special_category_columns_are_flagged_until_declared(tmp_path: Path, analyzer: Any) -> None:
    rules = """
    - id: ART9
      title: special categories
      severity: high
      pii: {special_categories: true}
    """
    data = csv_text(["id", "health_condition", "religion", "sex"], [[1, "x", "y", "F"]])
    path = write_audit(
        tmp_path,
        rules,
        {"people": {"path": "people.csv", "sensitive_features": ["religion"]}},
        {"people.csv": data},
    )
    rule = only_rule(audit(path))
    assert [f.scope.column for f in rule.findings] == ["health_condition"]
    assert "health data" in rule.findings[0].message


def test_in_memory_frames_through_the_python_api(tmp_path: Path, analyzer: Any) -> None:
    path = write_audit(tmp_path, EMAILS_RULE % "", {"frame": {}})
    frame = pd.DataFrame({"who": ["ann@mail.example.com", "bob", None], "n": [1, 2, 3]})
    result = governance.audit(path, datasets={"frame": frame})
    rule = only_rule(result)
    assert [f.scope.column for f in rule.findings] == ["who"]
    who = column(evidence_of(rule), "who")
    assert (who.non_null, who.distinct) == (2, 2)


def test_two_worker_processes_give_the_in_process_result(analyzer: Any) -> None:
    entities = ("EMAIL_ADDRESS", "PHONE_NUMBER")
    facts = column_facts("remark", False, entities)
    batches = [
        ScanBatch(
            job=0,
            values=tuple(
                f"x{b}-{i}@mail.example.com" if i % 7 == 0 else f"call 212-555-01{i % 100:02d}"
                for i in range(60)
            ),
            column=facts,
            entities=entities,
            min_score=0.4,
            config=AnalyzerConfig(),
        )
        for b in range(6)
    ]
    pooled = ScanExecutor(AnalyzerConfig(), workers=2)
    try:
        in_pool = list(pooled.run(batches))
    finally:
        pooled.close()
    in_process = list(ScanExecutor(AnalyzerConfig(), workers=1).run(batches))
    assert in_pool == in_process
    assert sum(t.entities["EMAIL_ADDRESS"].hits for t in in_pool) == 6 * 9


def test_country_specific_recognizers_are_enabled_by_entity_name(
    tmp_path: Path, analyzer: Any
) -> None:
    """presidio ships the Indian PAN recognizer but does not load it; naming IN_PAN loads it."""
    rules = """
    - id: PAN
      title: no PAN numbers
      severity: high
      pii: {entities: [IN_PAN]}
    """
    data = csv_text(["tax_ref"], [["ABCPD1234E"], ["nothing here"]])
    path = write_audit(tmp_path, rules, {"d": {"path": "d.csv"}}, {"d.csv": data})
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.FAILED
    assert "IN_PAN" in rule.findings[0].message
    assert "ABCPD1234E" not in rule.findings[0].message
