"""A PII rule judged on a sample of a column's distinct values says so beside its outcome, in
every format the console included: "passed" there means no hit in the sample, with a bound on
what the rest may hold, not that every value was analysed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance.engine.result import Outcome
from governance.render.console import render_console
from governance.render.markdown_summary import render_markdown
from governance.vocabulary.notes import NoteKind
from tests.pii.audit_files import audit, csv_text, only_rule, write_audit

RULE = """
- id: URL-1
  title: No URLs
  severity: high
  pii: {entities: [URL], sample_size: 100%s}
"""


def _audit(folder: Path, extra: str = ""):
    # 2,000 distinct notes, 1 in 1,000 with a URL: a sample of 100 may well hold none
    rows = [
        [i, f"see https://example{i}.org/page" if i % 1000 == 7 else f"note {i} on item {i * 7}"]
        for i in range(2_000)
    ]
    path = write_audit(
        folder,
        RULE % extra,
        {"notes": {"path": "notes.csv"}},
        files={"notes.csv": csv_text(["id", "note"], rows)},
    )
    return audit(path)


def test_a_rule_passed_on_a_sample_says_so_everywhere(tmp_path: Path, analyzer: Any) -> None:
    result = _audit(tmp_path)
    rule = only_rule(result)
    assert rule.outcome is Outcome.PASSED  # nothing in the sample
    (note,) = rule.notes
    assert note.kind is NoteKind.SAMPLED
    assert note.text == (
        "judged on a sample: 1 of 1 columns had only 100 of their distinct values analysed; "
        "an entity found in none may still be in up to 2.95% of a column's distinct values "
        "(95% bound); `mode: exhaustive` analyses all"
    )
    console = render_console(result, width=200)
    assert "URL-1: judged on a sample\n  - judged on a sample: 1 of 1 columns had" in console
    summary = render_markdown(result)
    assert "### Judged on a sample\n- `URL-1`: judged on a sample: 1 of 1" in summary


def test_an_exhaustive_scan_has_no_such_note(tmp_path: Path, analyzer: Any) -> None:
    rule = only_rule(_audit(tmp_path, ", mode: exhaustive"))
    assert rule.outcome is Outcome.FAILED
    assert rule.notes == ()


def test_values_cut_before_scanning_are_said_beside_the_outcome(
    tmp_path: Path, analyzer: Any
) -> None:
    long_note = "x " * 2_300 + "write to jane.doe@example.com"  # past character 4,096
    rows = [[0, long_note], [1, "short note"], [2, "another note"]]
    path = write_audit(
        tmp_path,
        "- id: EMAIL-1\n  title: No e-mail addresses\n  severity: high\n"
        "  pii: {entities: [EMAIL_ADDRESS]}\n",
        {"notes": {"path": "notes.csv"}},
        files={"notes.csv": csv_text(["id", "note"], rows)},
    )
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.PASSED  # the address is past what was analysed
    texts = [note.text for note in rule.notes if note.kind is NoteKind.SAMPLED]
    assert texts == [
        "judged on the first 4,096 characters of each value: 1 longer value(s) in 1 of 1 "
        "columns were not analysed past that"
    ]


def test_the_columns_table_says_what_the_patterns_left_to_verify(
    tmp_path: Path, analyzer: Any
) -> None:
    # more distinct values than the sample takes; in one column no value looks like an e-mail
    # address, in the other three do
    rows = [[f"note {i}", f"mail a{i}@example.org" if i < 3 else f"item {i}"] for i in range(300)]
    path = write_audit(
        tmp_path,
        RULE.replace("URL", "EMAIL_ADDRESS") % "",
        {"notes": {"path": "notes.csv"}},
        files={"notes.csv": csv_text(["plain", "linked"], rows)},
    )
    table = only_rule(audit(path)).evidence.tables()[0]
    checked = {row[0]: row[3] for row in table.rows}
    assert table.title.endswith("up to 100 distinct values verified per column)")
    assert checked["notes.plain"] == "every row by pattern, no candidates"
    assert checked["notes.linked"] == "every row by pattern, all 3 candidates verified"
