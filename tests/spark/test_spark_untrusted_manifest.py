"""A manifest (which may come from an untrusted pull request) reaches no file outside the
audit's folder and no cluster the command line did not name, through its Spark sources or its
`spark:` block."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.data.spark.allowance import is_allowed
from governance.data.spark.session import SparkOptions, resolve_master
from governance.data.spark.sources import read_source
from governance.errors import InputError, SourceLocation
from governance.manifest import DatasetSpec
from tests.conftest import Writer
from tests.spark.test_spark_bad_input import POLICY, _audit, audit_refused


def _refused_with(manifest: Path, *options: str) -> str:
    out = manifest.parent / "out"
    result = CliRunner().invoke(app, ["audit", str(manifest), "--out", str(out), *options])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    return " ".join(result.output.split())


@pytest.mark.parametrize("reader", ["csv", "text", "parquet", "json"])
def test_a_table_name_never_reads_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spark: Any, reader: str
) -> None:
    # Spark reads `csv.name` as the file `name` of the working directory when it runs SQL on
    # files: a table name that is a data source's would read a file outside the audit folder.
    (tmp_path / "secrets").write_text("sex,hired,predicted\nF,1,1\nM,0,1\n")
    monkeypatch.chdir(tmp_path)
    spec = DatasetSpec(engine="spark", table=f"{reader}.secrets")
    where = SourceLocation(Path("audit.yaml"), 6)
    with pytest.raises(InputError) as raised:
        read_source(spark, "applicants", spec, lambda name, key: where, ())
    assert f"Spark table '{reader}.secrets' does not exist in the catalog" in str(raised.value)
    assert raised.value.location == where


@pytest.mark.parametrize(
    "uri",
    [
        "s3a://bucket/lake/../payroll",
        "s3a://bucket/lake/./../payroll",
        "s3a://bucket/lakehouse/payroll",
        "s3a://bucket/lake/{a,../payroll}",
        "s3a://bucket/lake/*",
    ],
)
def test_a_uri_stays_under_its_allowed_prefix(write: Writer, spark: Any, uri: str) -> None:
    manifest = _audit(write, f"uri: '{uri}'\nformat: parquet")
    output = _refused_with(manifest, "--spark-allow-uri", "s3a://bucket/lake/")
    assert "which the command line does not allow" in output
    assert "audit.yaml:6" in output


def test_allowed_locations_are_whole_segments_under_a_prefix() -> None:
    assert is_allowed("s3a://bucket/lake/2026/part", ["s3a://bucket/lake/"])
    assert is_allowed("s3a://bucket/lake", ["s3a://bucket/lake/"])
    assert is_allowed("spark://cluster:7077", ["spark://cluster:7077"])
    assert not is_allowed("spark://cluster:70770", ["spark://cluster:7077"])
    assert not is_allowed("s3a://bucket/lake", [])


@pytest.mark.parametrize(
    "master",
    [
        "spark://cluster.example:7077",
        "sc://cluster.example:15002",
        "yarn",
        "k8s://https://cluster.example:443",
    ],
)
def test_a_manifests_cluster_needs_the_command_lines_allowance(
    write: Writer, monkeypatch: pytest.MonkeyPatch, master: str
) -> None:
    pytest.importorskip("pyspark")
    for variable in ("GOVERNANCE_SPARK_MASTER", "SPARK_REMOTE"):
        monkeypatch.delenv(variable, raising=False)
    manifest = _audit(write, "table: sales.applicants", f"spark:\n  master: '{master}'\n")
    output = audit_refused(manifest)
    assert f"the manifest runs Spark on '{master}', which the command line does not" in output
    assert "audit.yaml:11" in output


def test_the_command_line_allows_or_names_the_cluster() -> None:
    master = "spark://cluster.example:7077"
    allowed = SparkOptions(allowed_uris=(master,))
    assert resolve_master(allowed, master, None, environ={}) == master
    named = SparkOptions(master="local[2]")
    assert resolve_master(named, master, None, environ={}) == "local[2]"
    assert resolve_master(SparkOptions(), "local[2]", None, environ={}) == "local[2]"
    with pytest.raises(InputError):
        resolve_master(SparkOptions(), master, None, environ={})


def _parquet_audit(folder: Path, data: str) -> Path:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    duckdb.sql(
        "COPY (SELECT 'F' AS sex, 1 AS hired, 1 AS predicted UNION ALL "
        f"SELECT 'M', 0, 1) TO '{folder / data}' (FORMAT parquet)"
    )
    (folder / "policy.yaml").write_text(POLICY)
    manifest = folder / "audit.yaml"
    manifest.write_text(
        "name: lake\npolicies: [policy.yaml]\ndatasets:\n  applicants:\n    engine: spark\n"
        f"    path: '{data}'\n    label: hired\n    prediction: predicted\n"
        "    sensitive_features: [sex]\n"
    )
    return manifest


def test_a_path_is_read_as_written_in_a_folder_with_spaces(tmp_path: Path, spark: Any) -> None:
    manifest = _parquet_audit(tmp_path / "my audits é", "applicants.parquet")
    result = CliRunner().invoke(app, ["audit", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "out" / "audit.json").is_file()


def test_a_path_spark_would_read_as_a_pattern_is_refused(tmp_path: Path, spark: Any) -> None:
    manifest = _parquet_audit(tmp_path, "x*.parquet")
    # A file the pattern would also match, and that was never confined: a link out.
    (tmp_path / "xsecret.parquet").symlink_to(tmp_path / "x*.parquet")
    output = _refused_with(manifest)
    assert "Spark reads a path holding any of * ? [ ] { } \\ as a pattern of files" in output
    assert "audit.yaml:6" in output


def _delta_log(action: dict[str, Any]) -> str:
    protocol = {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}
    return "\n".join(json.dumps(line) for line in (protocol, action)) + "\n"


@pytest.mark.parametrize(
    "action",
    [
        {"add": {"path": "file:///etc/passwd", "size": 1, "dataChange": True}},
        {"add": {"path": "/etc/passwd", "size": 1, "dataChange": True}},
        {"add": {"path": "part-0/..%2F..%2Fsecret.parquet", "size": 1, "dataChange": True}},
        {"remove": {"path": "s3a://elsewhere/x.parquet", "dataChange": True}},
        {
            "add": {
                "path": "part-0.parquet",
                "deletionVector": {"storageType": "p", "pathOrInlineDv": "etc/passwd"},
            }
        },
    ],
)
def test_a_delta_log_naming_files_outside_its_folder_is_refused(
    write: Writer, spark: Any, action: dict[str, Any]
) -> None:
    write("lake/_delta_log/00000000000000000000.json", _delta_log(action))
    output = audit_refused(_audit(write, "path: lake\nformat: delta"))
    assert "the Delta log of 'lake' names files outside its folder" in output
    assert "audit.yaml:6" in output


def test_a_delta_log_inside_its_folder_goes_to_delta(write: Writer, spark: Any) -> None:
    action = {"add": {"path": "year%3D2026/part-0.parquet", "size": 1, "dataChange": True}}
    write("lake/_delta_log/00000000000000000000.json", _delta_log(action))
    output = audit_refused(_audit(write, "path: lake\nformat: delta"))
    assert "Spark has no reader for format 'delta'" in output


def test_a_delta_checkpoint_naming_files_outside_its_folder_is_refused(
    write: Writer, tmp_path: Path, spark: Any
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    log = tmp_path / "lake" / "_delta_log"
    log.mkdir(parents=True)
    checkpoint = pa.table({"add": [None, {"path": "/etc/passwd", "size": 1}]})
    pq.write_table(checkpoint, log / "00000000000000000010.checkpoint.parquet")
    (log / "_last_checkpoint").write_text('{"version": 10, "size": 2}')
    output = audit_refused(_audit(write, "path: lake\nformat: delta"))
    assert "the Delta log of 'lake' names files outside its folder" in output
