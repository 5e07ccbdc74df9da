"""Spark sources in the manifest: what a dataset with `engine: spark` may name, and what a
manifest (which may come from an untrusted pull request) may not set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from governance.errors import InputError
from governance.manifest import load_manifest
from tests.conftest import Writer


def _manifest(write: Writer, dataset: str, extra: str = "") -> Path:
    return write(
        "audit.yaml",
        "name: lake\npolicies: [builtin:gdpr-pii]\ndatasets:\n  applicants:\n"
        + "".join(f"    {line}\n" for line in dataset.strip().splitlines())
        + extra,
    )


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as raised:
        load_manifest(path)
    return raised.value


@pytest.mark.parametrize(
    "setting", ["spark.jars", "spark.driver.extraJavaOptions", "spark.executor.extraClassPath"]
)
def test_a_manifest_cannot_set_spark_settings_that_run_code(write: Writer, setting: str) -> None:
    path = _manifest(
        write,
        "table: sales.applicants\nengine: spark",
        f"spark:\n  master: local[2]\n  conf:\n    {setting}: /tmp/evil.jar\n",
    )
    error = _refused(path)
    assert f"Spark setting '{setting}' may not be set from a manifest" in str(error)
    assert error.location is not None and error.location.line == 10


def test_allowed_settings_and_master_are_read(write: Writer) -> None:
    path = _manifest(
        write,
        "table: sales.applicants\nengine: spark",
        "spark:\n  master: sc://spark.internal:15002\n  conf:\n"
        "    spark.sql.shuffle.partitions: '8'\n",
    )
    manifest = load_manifest(path).manifest
    assert manifest.spark is not None
    assert manifest.spark.master == "sc://spark.internal:15002"
    assert manifest.spark.conf == {"spark.sql.shuffle.partitions": "8"}
    assert manifest.datasets["applicants"].table == "sales.applicants"


@pytest.mark.parametrize(
    ("dataset", "message", "line"),
    [
        ("table: sales.applicants", "'table' needs 'engine: spark'", 5),
        ("uri: s3a://bucket/applicants", "'uri' needs 'engine: spark'", 5),
        ("path: data.parquet\nformat: delta", "'format: delta' needs 'engine: spark'", 6),
        ("engine: spark\ntable: sales.applicants\nuri: s3a://b/x", "not table and uri", 7),
        ("engine: spark\ntable: 'x; DROP TABLE y'", "should match pattern", 6),
        ("engine: spark\nuri: file:///etc/passwd", "should match pattern", 6),
        ("engine: spark\nuri: s3a://bucket/applicants", "a folder or URI needs 'format", 4),
        ("engine: spark", "needs 'path', 'table' or 'uri'", 4),
    ],
)
def test_spark_sources_are_checked_on_load(
    write: Writer, dataset: str, message: str, line: int
) -> None:
    write("data.parquet", "PAR1")
    error = _refused(_manifest(write, dataset))
    assert message in str(error)
    assert error.location is not None and error.location.line == line


def test_a_spark_folder_is_confined_like_every_input(write: Writer, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "part-0.parquet").write_text("PAR1")
    (tmp_path / "lake").mkdir()
    os.symlink(outside / "part-0.parquet", tmp_path / "lake" / "part-0.parquet")
    error = _refused(_manifest(write, "engine: spark\npath: lake\nformat: parquet"))
    assert "holds a link (part-0.parquet)" in str(error)
    error = _refused(_manifest(write, f"engine: spark\npath: {outside}\nformat: parquet"))
    assert "is outside the manifest's folder" in str(error)


def test_a_folder_is_a_spark_source_only(write: Writer, tmp_path: Path) -> None:
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "part-0.parquet").write_text("PAR1")
    error = _refused(_manifest(write, "path: lake"))
    assert "'lake' is a folder, not a data file" in str(error)
    spec = load_manifest(_manifest(write, "engine: spark\npath: lake\nformat: parquet"))
    assert spec.manifest.datasets["applicants"].path == (tmp_path / "lake").resolve()
