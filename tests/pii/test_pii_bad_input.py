"""Each bad input the issue lists: the user's mistakes exit 2 with one clear sentence; data
oddities are handled and reported in the evidence."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

import governance
from governance.checks.pii.evidence import ColumnStatus, PiiEvidence
from governance.cli.app import app
from governance.engine.result import Outcome
from tests.pii.audit_files import audit, csv_text, only_rule, write_audit

RULE = """
- id: PII-1
  title: no direct identifiers
  severity: critical
  pii: {entities: [EMAIL_ADDRESS, US_SSN]%s}
"""
SECRET = "jane.secret@mail.example.com"


def cli(path: Path, tmp_path: Path) -> Any:
    return CliRunner().invoke(app, ["audit", str(path), "--out", str(tmp_path / "out"), "-q"])


def test_unknown_entity_is_an_input_error_naming_file_line_and_key(tmp_path: Path) -> None:
    path = write_audit(
        tmp_path,
        "- id: P\n  title: t\n  severity: high\n  pii: {entities: [EMAIL]}\n",
        {"d": {"path": "d.csv"}},
        {"d.csv": "a\n1\n"},
    )
    result = cli(path, tmp_path)
    assert result.exit_code == 2
    assert "policy.yaml:6" in result.stderr and "(rules.0.pii.entities.0)" in result.stderr
    assert "unknown entity 'EMAIL' (did you mean 'EMAIL_ADDRESS'?)" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_column_glob_matching_nothing_is_reported(tmp_path: Path, analyzer: Any) -> None:
    path = write_audit(
        tmp_path,
        RULE % ", columns: [email, 'ssn_*']",
        {"d": {"path": "d.csv"}},
        {"d.csv": csv_text(["email", "other"], [["nobody", "x"]])},
    )
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.FAILED
    assert [f.message for f in rule.findings] == [
        "column pattern 'ssn_*' matches no column in d; nothing was scanned for it"
    ]


def _parquet_bytes() -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table({"email": [SECRET]}), sink)
    return sink.getvalue()


def test_a_file_that_is_not_its_extensions_format_exits_2(tmp_path: Path) -> None:
    cases = {"parquet-as.csv": _parquet_bytes(), "text-as.parquet": f"email\n{SECRET}\n"}
    for name, content in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        path = write_audit(folder, RULE % "", {"d": {"path": name}}, {name: content})
        result = cli(path, folder)
        assert result.exit_code == 2, result.output
        assert name in result.stderr and "is not a" in result.stderr
        assert SECRET not in result.output


def test_ragged_rows_and_bad_encoding_exit_2_naming_the_problem_not_the_data(
    tmp_path: Path,
) -> None:
    cases = {
        "ragged.csv": (
            f"id,email\n1,a@b.example.com\n2,{SECRET},extra\n".encode(),
            "line 3 has 3 fields but the header has 2",
        ),
        "latin1.csv": (f"id,name\n1,José {SECRET}\n".encode("latin-1"), "not UTF-8 encoded"),
    }
    for name, (content, expected) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        path = write_audit(folder, RULE % "", {"d": {"path": name}}, {name: content})
        result = cli(path, folder)
        assert result.exit_code == 2, result.output
        assert expected in result.stderr
        assert f"{name}" in result.stderr
        assert "jane.secret" not in result.output


def test_a_10_mb_cell_is_cut_and_reported(tmp_path: Path, analyzer: Any) -> None:
    huge = f"{SECRET} " + "lorem ipsum " * 900_000
    path = write_audit(
        tmp_path,
        RULE % "",
        {"d": {"path": "d.csv"}},
        {"d.csv": csv_text(["id", "blob"], [[1, huge], [2, "short"]])},
    )
    rule = only_rule(audit(path))
    blob = next(c for c in rule.evidence.columns if c.column == "blob")  # type: ignore[union-attr]
    assert blob.too_long == 1
    assert "cut to that length" in blob.notes[0]
    assert blob.found[0].entity == "EMAIL_ADDRESS"  # found in the first 4,096 characters
    assert rule.duration_seconds < 20


def test_bytes_and_mixed_type_columns_are_scanned_as_text(tmp_path: Path, analyzer: Any) -> None:
    path = write_audit(tmp_path, RULE % "", {"frame": {}})
    frame = pd.DataFrame(
        {
            "raw": [SECRET.encode(), b"\x00\xff\xfe", None],
            "mixed": [1, "536-22-8726", 2.5],
        }
    )
    rule = only_rule(governance.audit(path, datasets={"frame": frame}))
    evidence = rule.evidence
    assert isinstance(evidence, PiiEvidence)
    raw, mixed = evidence.columns
    assert raw.data_type == "BLOB" and "binary values" in raw.notes[0]
    assert [s.entity for s in raw.found] == ["EMAIL_ADDRESS"]
    assert [s.entity for s in mixed.found] == ["US_SSN"]


def test_an_empty_dataset_is_skipped_not_passed(tmp_path: Path, analyzer: Any) -> None:
    # Nothing was scanned: the rule says so instead of passing on nothing.
    path = write_audit(tmp_path, RULE % "", {"d": {"path": "d.csv"}}, {"d.csv": "id,email\n"})
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.SKIPPED
    assert rule.reason == "no rows to scan: dataset 'd' has none"
    datasets = {"d": {"path": "d.csv"}, "e": {"path": "e.csv"}}
    both = write_audit(tmp_path / "two", RULE % "", datasets, {"d.csv": "id\n", "e.csv": "id\n"})
    assert only_rule(audit(both)).reason == "no rows to scan: datasets 'd', 'e' have none"


def test_an_empty_dataset_beside_one_with_rows_is_noted(tmp_path: Path, analyzer: Any) -> None:
    datasets = {"d": {"path": "d.csv"}, "e": {"path": "e.csv"}}
    files = {"d.csv": "id,email\n", "e.csv": "id,email\n1,nobody\n"}
    rule = only_rule(audit(write_audit(tmp_path, RULE % "", datasets, files)))
    assert rule.outcome is Outcome.PASSED
    evidence = rule.evidence
    assert isinstance(evidence, PiiEvidence)
    assert [d.rows for d in evidence.datasets] == [0, 1]
    assert evidence.datasets[0].notes == ("the dataset has no rows: nothing to scan",)


def test_an_empty_datasets_column_names_are_still_judged(tmp_path: Path, analyzer: Any) -> None:
    # A special-category column is named in the header whether or not rows follow it.
    rules = RULE % ", special_categories: true"
    files = {"d.csv": "id,email,health_condition\n"}
    rule = only_rule(audit(write_audit(tmp_path, rules, {"d": {"path": "d.csv"}}, files)))
    assert rule.outcome is Outcome.FAILED
    assert [f.scope.column for f in rule.findings] == ["health_condition"]
    evidence = rule.evidence
    assert isinstance(evidence, PiiEvidence)
    assert evidence.datasets[0].notes == ("the dataset has no rows: nothing to scan",)
    assert {c.column: c.status for c in evidence.columns}["email"] is ColumnStatus.EMPTY


def test_an_empty_datasets_header_still_shows_a_pattern_matching_nothing(
    tmp_path: Path, analyzer: Any
) -> None:
    # The header is there without rows: a pattern that names no column in it is a mistake in
    # the rule, found on the names alone, as it is when rows follow.
    path = write_audit(
        tmp_path,
        RULE % ", columns: [email, 'ssn_*']",
        {"d": {"path": "d.csv"}},
        {"d.csv": "email\n"},
    )
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.FAILED
    assert [f.message for f in rule.findings] == [
        "column pattern 'ssn_*' matches no column in d; nothing was scanned for it"
    ]


def test_a_zero_byte_file_exits_2(tmp_path: Path) -> None:
    path = write_audit(tmp_path, RULE % "", {"d": {"path": "d.csv"}}, {"d.csv": ""})
    result = cli(path, tmp_path)
    assert result.exit_code == 2
    assert "it is empty (0 bytes)" in result.stderr


def test_an_all_null_column_is_reported_empty(tmp_path: Path, analyzer: Any) -> None:
    path = write_audit(tmp_path, RULE % "", {"frame": {}})
    frame = pd.DataFrame({"nothing": [None, None], "id": ["a", "b"]})
    rule = only_rule(governance.audit(path, datasets={"frame": frame}))
    assert rule.evidence.columns[0].status is ColumnStatus.EMPTY  # type: ignore[union-attr]


def test_a_5000_column_table(tmp_path: Path, analyzer: Any) -> None:
    columns = {f"c{i}": [f"v{i}a", f"v{i}b"] for i in range(5000)}
    columns["c4321"] = [SECRET, "none"]
    path = write_audit(tmp_path, RULE % "", {"wide": {}})
    rule = only_rule(governance.audit(path, datasets={"wide": pd.DataFrame(columns)}))
    evidence = rule.evidence
    assert isinstance(evidence, PiiEvidence)
    assert len(evidence.columns) == 5000
    assert [f.scope.column for f in rule.findings] == ["c4321"]
    assert rule.duration_seconds < 15
