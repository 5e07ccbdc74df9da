"""Each way a Spark dataset cannot be audited: exit 2, one message naming the manifest line,
no traceback, no report written, in bounded time."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Writer
from tests.conftest import audit_refused as refused_with_output

POLICY = """\
policy: lake
rules:
  - id: FAIR-001
    title: Selection rates
    severity: high
    fairness: {dataset: applicants, metric: selection_rate, compare: ratio_to_max, min: 0.8,
               sensitive_features: [sex]}
"""


def _audit(write: Writer, source: str, extra: str = "") -> Path:
    write("policy.yaml", POLICY)
    return write(
        "audit.yaml",
        "name: lake\npolicies: [policy.yaml]\ndatasets:\n  applicants:\n    engine: spark\n"
        + "".join(f"    {line}\n" for line in source.strip().splitlines())
        + "    label: hired\n    prediction: predicted\n    sensitive_features: [sex]\n"
        + extra,
    )


def audit_refused(manifest: Path) -> str:
    """What the user saw, lines unwrapped (the console wraps long messages)."""
    return " ".join(refused_with_output(manifest).split())


def _parquet(path: Path) -> None:
    import duckdb

    duckdb.sql(
        "COPY (SELECT 'F' AS sex, 1 AS hired, 1 AS predicted UNION ALL "
        f"SELECT 'M', 0, 1) TO '{path}' (FORMAT parquet)"
    )


def test_pyspark_missing_names_the_install_line(
    write: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    write("data.parquet", "")
    output = audit_refused(_audit(write, "table: sales.applicants"))
    assert "pyspark is not installed" in output
    assert "pip install 'governance-audit[spark]'" in output
    assert "audit.yaml:5" in output


@pytest.mark.parametrize("java_home", ["/nonexistent/java-17", None])
def test_java_missing(
    write: Writer, monkeypatch: pytest.MonkeyPatch, java_home: str | None
) -> None:
    pytest.importorskip("pyspark")
    if java_home is None:
        monkeypatch.delenv("JAVA_HOME", raising=False)
        monkeypatch.setenv("PATH", "/nonexistent")
        expected = "no java is on PATH"
    else:
        monkeypatch.setenv("JAVA_HOME", java_home)
        expected = f"JAVA_HOME ({java_home}) holds no bin/java"
    output = audit_refused(_audit(write, "table: sales.applicants"))
    assert f"Spark needs Java 17 and {expected}" in output
    assert "audit.yaml:5" in output


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("scheme", ["sc", "spark"])
def test_an_unreachable_master_fails_fast(
    write: Writer, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    pytest.importorskip("pyspark")
    master = f"{scheme}://localhost:{_closed_port()}"
    monkeypatch.setenv("GOVERNANCE_SPARK_MASTER", master)
    started = time.monotonic()
    output = audit_refused(_audit(write, "table: sales.applicants"))
    assert time.monotonic() - started < 30
    assert f"Spark master '{master}' cannot be reached" in output
    assert "audit.yaml:5" in output


@pytest.mark.parametrize("parameters", ["", "/;use_ssl=true"])
def test_a_connect_server_that_accepts_and_never_answers_fails_fast(
    write: Writer, monkeypatch: pytest.MonkeyPatch, parameters: str
) -> None:
    pytest.importorskip("pyspark")
    monkeypatch.setattr("governance.data.spark.session.CONNECT_TIMEOUT_SECONDS", 2.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections are accepted by the kernel and never read
        master = f"sc://127.0.0.1:{silent.getsockname()[1]}{parameters}"
        monkeypatch.setenv("SPARK_REMOTE", master)
        started = time.monotonic()
        output = audit_refused(_audit(write, "table: sales.applicants"))
    assert time.monotonic() - started < 20
    assert "cannot be reached (timed out)" in output
    assert "audit.yaml:5" in output


@pytest.mark.parametrize("table", ["no_such_db.applicants", "no_such_catalog.db.applicants"])
def test_a_table_that_does_not_exist(write: Writer, spark: Any, table: str) -> None:
    output = audit_refused(_audit(write, f"table: {table}"))
    assert f"Spark table '{table}' does not exist in the catalog" in output
    assert "audit.yaml:6" in output


def test_a_path_spark_cannot_read(write: Writer, spark: Any) -> None:
    write("lake/part-0.parquet", "not parquet at all, one two three four five six")
    output = audit_refused(_audit(write, "path: lake\nformat: parquet"))
    assert "Spark could not read" in output
    assert "audit.yaml:6" in output
    assert "FAIR-001" not in output  # the source is at fault, not the rule that read it first


def test_delta_without_delta_installed(write: Writer, spark: Any) -> None:
    write("lake/_delta_log/00000000000000000000.json", "{}")
    output = audit_refused(_audit(write, "path: lake\nformat: delta"))
    assert "Spark has no reader for format 'delta'" in output
    assert "audit.yaml:7" in output


def test_a_column_missing_in_the_spark_schema(write: Writer, tmp_path: Path, spark: Any) -> None:
    _parquet(tmp_path / "data.parquet")
    manifest = _audit(write, "path: data.parquet")
    manifest.write_text(manifest.read_text().replace("predicted", "decision"))
    output = audit_refused(manifest)
    # Found before any rule runs, as on DuckDB: at the manifest line that declares it.
    assert "dataset 'applicants' has no column 'decision' (declared as its prediction)" in output
    assert "audit.yaml:8" in output
    assert "FAIR-001" not in output


def test_a_uri_needs_the_command_lines_allowance(write: Writer, spark: Any) -> None:
    output = audit_refused(_audit(write, "uri: s3a://bucket/applicants\nformat: parquet"))
    assert "names URI 's3a://bucket/applicants', which the command line does not allow" in output
    assert "--spark-allow-uri" in output
