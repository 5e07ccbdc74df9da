"""Benchmark: the same audit on Spark (`local[2]`) and on DuckDB, over the same Parquet file.

Data: three sensitive features (2 x 6 x 5 = 60 intersectional groups), a label, a prediction, a
score and 20 text columns (e-mail addresses, phone numbers, names, free text, codes), generated
by DuckDB at each size. Two audits, each one rule:
- `fairness`: five rates over the 60 intersections (one group-by per rule);
- `pii`: the default PII scan of the 20 text columns (profiles, seeded samples, candidates).
Each (size, engine, audit) runs `governance.audit` in its own process, so its peak memory is its
own: `driver MB` is the Python process's peak RSS (what the audit brings to the driver), `JVM MB`
the peak RSS of Spark's JVM (in `local[2]` it holds the driver and both executors; on a
cluster the executors run elsewhere). A last case, `api`, generates the rows inside Spark
(`spark.range`) and audits that DataFrame through the Python API, the fairness rule: nothing is
written to disk and no row reaches the Python driver. `start s` is Spark's start (the JVM),
outside `audit s`, the `governance.audit` call.

Run: `PYTHONPATH=$PWD python benchmarks/spark.py` (`--rows 5000000` for one size, `--cases
spark-fairness,api` to choose). Needs the `spark` extra and Java 17.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = (5_000_000, 20_000_000)
CASES = (
    "duckdb-fairness",
    "spark-fairness",
    "duckdb-pii",
    "spark-pii",
    "api",
)
TEXT_COLUMNS = [f"text_{i:02d}" for i in range(20)]
FAIRNESS = """\
policy: bench
rules:
  - id: FAIR
    title: Rates over 60 groups
    severity: high
    fairness: {dataset: applicants, metric: [selection_rate, true_positive_rate,
               false_positive_rate, precision, accuracy], compare: ratio_to_max, min: 0.8,
               sensitive_features: [sex, race, age], intersectional: true}
"""
PII = """\
policy: bench
rules:
  - id: PII
    title: No undeclared identifiers
    severity: high
    pii: {datasets: "*", entities: [EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, CREDIT_CARD]}
"""


def _text_expressions(i: str) -> list[str]:
    """20 text columns as SQL over a row number `i` (DuckDB and Spark both read this SQL)."""
    kinds = [
        f"concat('user', CAST(({i} * 7919) % 1000003 AS STRING), '@example.com')",
        f"concat('+1 212 555 ', lpad(CAST(({i} * 31) % 10000 AS STRING), 4, '0'))",
        f"concat('Person ', CAST({i} % 50000 AS STRING))",
        f"concat('Note about case ', CAST({i} % 997 AS STRING), ', call back later')",
        f"concat('C-', CAST(({i} * 13) % 100000 AS STRING))",
    ]
    return [f"{kinds[k % len(kinds)]} AS {c}" for k, c in enumerate(TEXT_COLUMNS)]


def _columns(i: str) -> list[str]:
    return [
        f"CASE WHEN {i} % 2 = 0 THEN 'Female' ELSE 'Male' END AS sex",
        f"concat('race_', CAST(({i} * 7) % 6 AS STRING)) AS race",
        f"concat('age_', CAST(({i} * 11) % 5 AS STRING)) AS age",
        f"CAST(({i} * 2654435761) % 100 < 35 + ({i} * 7) % 6 * 3 AS INT) AS y",
        f"CAST(({i} * 40503) % 100 < 40 AS INT) AS p",
        f"CAST((({i} * 2246822519) % 10000) AS DOUBLE) / 10000 AS score",
    ] + _text_expressions(i)


def make_data(rows: int, path: Path) -> None:
    import duckdb

    duckdb.sql(
        f"COPY (SELECT {', '.join(_columns('i'))} FROM (SELECT range AS i FROM range({rows}))) "
        f"TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"
    )


def _manifest(folder: Path, policy: str, engine: str, data: str | None) -> Path:
    (folder / "policy.yaml").write_text(policy)
    source = f"    path: {data}\n    engine: {engine}\n" if data else ""
    manifest = folder / "audit.yaml"
    manifest.write_text(
        "name: bench\npolicies: [policy.yaml]\ndatasets:\n  applicants:\n"
        f"{source}    label: y\n    prediction: p\n    sensitive_features: [sex, race, age]\n"
        "spark:\n  master: local[2]\n  conf:\n    spark.driver.memory: 1g\n"
        "    spark.sql.shuffle.partitions: '8'\n"
    )
    return manifest


def run_case(case: str, rows: int, data: Path) -> dict[str, Any]:
    """One case, in this process (the parent runs each in a fresh one)."""
    import governance

    engine, _, check = case.partition("-")
    folder = Path(tempfile.mkdtemp(prefix="spark-bench-"))
    frames = None
    start = 0.0
    if engine != "duckdb":
        from governance.data.spark.session import spark_session

        begun = time.perf_counter()
        spark = spark_session("local[2]", {"spark.driver.memory": "1g"}, None)
        start = time.perf_counter() - begun
    if case == "api":
        manifest = _manifest(folder, FAIRNESS, "spark", None)
        frames = {"applicants": spark.range(rows).selectExpr(*_columns("id"))}
    else:
        manifest = _manifest(folder, FAIRNESS if check == "fairness" else PII, engine, str(data))
    started = time.perf_counter()
    result = governance.audit(manifest, datasets=frames, allow_paths=[data.parent])
    seconds = time.perf_counter() - started
    return {
        "case": case,
        "rows": rows,
        "seconds": round(seconds, 1),
        "start": round(start, 1),
        "driver_mb": _peak_mb("self"),
        "jvm_mb": _jvm_peak_mb(),
        "outcomes": [r.outcome.value for r in result.rules],
        "evidence": [
            json.loads(r.evidence.model_dump_json()) if r.evidence else None for r in result.rules
        ],
    }


def _jvm_peak_mb() -> int | None:
    """The peak RSS of Spark's JVM (a child of this process), if one was started."""
    try:
        from pyspark import SparkContext
    except ImportError:
        return None
    context = SparkContext._active_spark_context
    if context is None:
        return None
    return _peak_mb(str(context._gateway.proc.pid))  # type: ignore[union-attr]


def _peak_mb(process: str) -> int | None:
    """A process's peak RSS (`VmHWM`: of this program's run, where `ru_maxrss` would count
    the parent's memory at the fork too)."""
    for line in Path(f"/proc/{process}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return None


def _exact(evidence: Any) -> Any:
    """The evidence without the sampled candidates' distinct count (each engine's HyperLogLog
    estimate)."""
    if isinstance(evidence, list):
        return [_exact(item) for item in evidence]
    if isinstance(evidence, dict):
        if evidence.get("complete") is False and "candidates" in evidence:
            evidence = {k: v for k, v in evidence.items() if k != "candidates"}
        return {k: _exact(v) for k, v in evidence.items()}
    return evidence


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        case, rows, data = arguments.one
        print(json.dumps(run_case(case, int(rows), Path(data))))
        return
    work = Path(os.environ.get("SPARK_BENCH_DIR", "/tmp/governance-spark-bench"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()}")
    print(
        f"{'rows':>11} {'case':<16} {'start s':>8} {'audit s':>8} {'driver MB':>10} {'JVM MB':>7}"
    )
    for rows in arguments.rows or SIZES:
        data = work / f"bench-{rows}.parquet"
        if not data.exists():
            make_data(rows, data)
        evidence: dict[str, Any] = {}
        for case in arguments.cases.split(","):
            output = (
                subprocess.run(
                    [sys.executable, __file__, "--one", case, str(rows), str(data)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            found = json.loads(output)
            print(
                f"{rows:>11,} {case:<16} {found['start']:>8} {found['seconds']:>8} "
                f"{found['driver_mb']:>10} "
                f"{found['jvm_mb'] or '-':>7}"
            )
            evidence[case] = found["evidence"]
        for check in ("fairness", "pii"):
            if f"duckdb-{check}" in evidence and f"spark-{check}" in evidence:
                same = _exact(evidence[f"duckdb-{check}"]) == _exact(evidence[f"spark-{check}"])
                print(f"{rows:>11,} {check}: Spark's evidence equals DuckDB's: {same}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
