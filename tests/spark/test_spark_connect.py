"""The Spark Connect path (`sc://`), against a local Spark Connect server started from the
pyspark package (its server ships in pyspark's jars: nothing is downloaded). The audit runs in
its own process: a process holds either a local Spark or a Spark Connect session."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import governance
from tests.conftest import Writer

POLICY = """\
policy: connect
rules:
  - id: FAIR-001
    title: Selection rates
    severity: high
    fairness: {dataset: applicants, metric: selection_rate, compare: ratio_to_max, min: 0.8,
               sensitive_features: [sex]}
  - id: PII-001
    title: No undeclared e-mail addresses
    severity: high
    pii: {datasets: "*", entities: [EMAIL_ADDRESS]}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pyspark = pytest.importorskip("pyspark")
    pytest.importorskip("grpc")
    home = Path(pyspark.__file__).parent
    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    environment = {**os.environ, "SPARK_HOME": str(home), "PYSPARK_PYTHON": sys.executable}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(home / "bin" / "spark-submit"),
                "--class",
                "org.apache.spark.sql.connect.service.SparkConnectServer",
                "--master",
                "local[2]",
                "--conf",
                f"spark.connect.grpc.binding.port={port}",
                "--conf",
                "spark.ui.enabled=false",
                "spark-internal",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"the Spark Connect server did not start: {log.read_text()[-2000:]}"
                    )
                time.sleep(1)
        yield f"sc://localhost:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_an_audit_over_spark_connect_equals_the_duckdb_audit(
    write: Writer, tmp_path: Path, connect_server: str
) -> None:
    import duckdb

    duckdb.sql(
        "COPY (SELECT CASE WHEN range % 2 = 0 THEN 'F' ELSE 'M' END AS sex, "
        "(range % 3 = 0)::INT AS hired, (range % 5 < 2)::INT AS predicted, "
        "'a' || range || '@example.com' AS email FROM range(600)) "
        f"TO '{tmp_path / 'data.parquet'}' (FORMAT parquet)"
    )
    write("policy.yaml", POLICY)
    manifest = write(
        "audit.yaml",
        """\
        name: connect
        policies: [policy.yaml]
        datasets:
          applicants:
            engine: spark
            path: data.parquet
            label: hired
            prediction: predicted
            sensitive_features: [sex]
        """,
    )
    out = tmp_path / "out"
    audited = subprocess.run(
        [sys.executable, "-m", "governance", "audit", str(manifest), "--out", str(out),
         "--format", "json", "--quiet", "--spark-master", connect_server],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert audited.returncode == 1, audited.stderr  # the PII rule finds the e-mail addresses
    on_connect = json.loads((out / "audit.json").read_text())
    manifest.write_text(manifest.read_text().replace("    engine: spark\n", ""))
    on_duckdb = governance.audit(manifest).model_dump(mode="json")
    assert [r["evidence"] for r in on_connect["rules"]] == [
        r["evidence"] for r in on_duckdb["rules"]
    ]
    assert [r["outcome"] for r in on_connect["rules"]] == ["passed", "failed"]
