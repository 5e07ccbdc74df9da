"""PII scanning benchmark: presidio over every cell vs this tool's column scan.

Builds synthetic tables with Faker (known PII per column) and compares, on the same data in the
same run:
  (a) presidio's BatchAnalyzerEngine over every cell (the same offline analyzer and entities,
      the column name as context, the same false-positive rules and minimum score applied to
      its results, so verdicts are comparable);
  (b) `governance audit` in default mode (every row matched against a pattern per entity in
      DuckDB, the distinct candidates verified by presidio, a seeded sample of 1,000 of them
      per column when there are more);
  (c) `governance audit` in exhaustive mode (every distinct value).
Each measurement runs in a fresh process, so its peak memory (max RSS, workers included) is its
own. "check s" is the audit call end to end (load the file, profile, match, sample, scan, build
the result) with presidio imported and the analyzer built beforehand, as for (a); the
recognizers' one-time set-up (tldextract's suffix trie, phonenumbers' metadata), which (a) pays
on its first cells, is paid inside both timings. "whole command s" is `governance audit
MANIFEST --format json` in a fresh process: interpreter start, imports, the analyzer's build,
the audit and writing audit.json.

Usage (from the repository root):
    PYTHONPATH=$PWD python benchmarks/pii.py               # 100k x 8 (a, b, c), 1M x 20 (a, b)
    PYTHONPATH=$PWD python benchmarks/pii.py --large-only  # 1M x 20 only (a on 1,000 rows)
    PYTHONPATH=$PWD python benchmarks/pii.py --quick       # 5k x 8 and 20k x 20, to try it out
Needs Faker (`pip install Faker`, the `benchmark` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ENTITIES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "IBAN_CODE"]
MIN_SCORE = 0.4
SEED = 20261126
WORK = Path(os.environ.get("PII_BENCH_DIR", "/tmp/governance-pii-bench"))


# ---------------------------------------------------------------------------------------------
# data


def _pools(size: int) -> dict[str, list[str]]:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(SEED)
    small = max(size // 20, 50)
    return {
        "email": [f"{fake.user_name()}{i}@{fake.free_email_domain()}" for i in range(size)],
        "phone": [fake.phone_number() for _ in range(size)],
        "ssn": [fake.ssn() for _ in range(size)],
        "card": [fake.credit_card_number() for _ in range(size)],
        "iban": [fake.iban() for _ in range(size)],
        "name": [fake.name() for _ in range(small)],
        "city": [fake.city() for _ in range(small)],
        "company": [fake.company() for _ in range(small)],
        "job": [fake.job() for _ in range(small)],
        "country": [fake.country() for _ in range(small)],
        "sentence": [fake.sentence(nb_words=10) for _ in range(small)],
        "uuid": [fake.uuid4() for _ in range(size)],
        "date": [fake.date() for _ in range(small)],
        "zip": [fake.zipcode() for _ in range(small)],
    }


def build_table(rows: int, columns: int) -> Any:
    """A table whose PII is known: (column, entity) pairs in `EXPECTED`."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    pools = _pools(min(rows, 200_000))

    def draw(pool: str) -> Any:
        values = np.array(pools[pool], dtype=object)
        return values[rng.integers(0, len(values), rows)]

    def sprinkle(base: Any, pool: str, share: float, template: str) -> Any:
        out = base.copy()
        chosen = rng.random(rows) < share
        extra = draw(pool)
        out[chosen] = [template.format(v) for v in extra[chosen]]
        return out

    data: dict[str, Any] = {
        "user_id": np.arange(10_000_000, 10_000_000 + rows),
        "email": draw("email"),
        "phone": draw("phone"),
        "ssn": draw("ssn"),
        "full_name": draw("name"),
        "notes": sprinkle(draw("sentence"), "email", 0.01, "Reach me at {} please."),
        "amount": rng.gamma(2.0, 40.0, rows).round(2),
        "city": draw("city"),
    }
    if columns > 8:
        data |= {
            "card_number": draw("card"),
            "iban": draw("iban"),
            "company": draw("company"),
            "job_title": draw("job"),
            "zip_code": draw("zip"),
            "signup_date": draw("date"),
            "order_ref": draw("uuid"),
            "score": rng.random(rows).round(4),
            "age": rng.integers(18, 90, rows),
            "country": draw("country"),
            "comment": sprinkle(draw("sentence"), "phone", 0.001, "Call {} after 5pm."),
            "referrer": sprinkle(draw("company"), "ssn", 0.0005, "ssn {}"),
        }
    return pd.DataFrame(data).iloc[:, :columns]


def write_inputs(rows: int, columns: int, folder: Path) -> dict[str, Path]:
    """The table as CSV and Parquet, with an audit manifest and policy per mode."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = folder / "table.csv", folder / "table.parquet"
    if not csv_path.exists():
        table = pa.Table.from_pandas(build_table(rows, columns), preserve_index=False)
        pacsv.write_csv(table, csv_path)
        pq.write_table(table, parquet_path)
    manifests = {}
    for mode in ("default", "exhaustive"):
        (folder / f"policy-{mode}.yaml").write_text(
            "policy: bench\nrules:\n  - id: PII\n    title: pii\n    severity: high\n"
            f"    pii: {{entities: {json.dumps(ENTITIES)}, mode: {mode}, min_score: {MIN_SCORE}}}\n"
        )
        for fmt, path in (("csv", csv_path), ("parquet", parquet_path)):
            manifest = folder / f"audit-{mode}-{fmt}.yaml"
            manifest.write_text(
                f"name: bench\ndatasets:\n  table: {{path: {path.name}}}\n"
                f"policies: [policy-{mode}.yaml]\n"
            )
            manifests[f"{mode}-{fmt}"] = manifest
    manifests["csv"] = csv_path
    return manifests


# ---------------------------------------------------------------------------------------------
# one measurement, in its own process


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def measure_governance(manifest: Path) -> dict[str, Any]:
    import governance
    from governance.checks.pii.evidence import PiiEvidence
    from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

    # Built beforehand, as for (a): imports and the analyzer's build are not timed; warming it
    # before the workers fork is part of the scan, and timed.
    shared_analyzer(AnalyzerConfig())
    started = time.perf_counter()
    result = governance.audit(manifest)
    seconds = time.perf_counter() - started
    evidence = result.rules[0].evidence
    if not isinstance(evidence, PiiEvidence):
        raise SystemExit(f"the rule did not run: {result.rules[0].reason}")
    verdicts = {
        f"{c.column}:{e}": any(s.entity == e for s in c.found)
        for c in evidence.columns
        for e in ENTITIES
    }
    scanned = sum(c.scanned for c in evidence.columns)
    return {"seconds": seconds, "peak_mb": _peak_mb(), "verdicts": verdicts, "scanned": scanned}


def measure_presidio(csv_path: Path, rows: int | None = None) -> dict[str, Any]:
    """(a): every cell through BatchAnalyzerEngine.analyze_dict, column name as context (of the
    first `rows` rows only, when given: `seconds` is then scaled to every row)."""
    import pandas as pd
    from presidio_analyzer import BatchAnalyzerEngine

    from governance.checks.pii.column_context import column_facts
    from governance.checks.pii.false_positives import plausible
    from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

    engine = BatchAnalyzerEngine(analyzer_engine=shared_analyzer(AnalyzerConfig()))
    started = time.perf_counter()
    frame = pd.read_csv(csv_path, nrows=rows)
    columns = {c: [str(v) for v in frame[c].dropna()] for c in frame.columns}
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns}
    verdicts = {f"{c}:{e}": False for c in frame.columns for e in ENTITIES}
    cells = 0
    for item in engine.analyze_dict(columns, language="en", entities=ENTITIES):
        facts = column_facts(item.key, numeric[item.key], tuple(ENTITIES))
        for text, results in zip(item.value, item.recognizer_results, strict=True):
            cells += 1
            for r in plausible(results, text, facts):
                if r.score >= MIN_SCORE:
                    verdicts[f"{item.key}:{r.entity_type}"] = True
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "peak_mb": _peak_mb(), "verdicts": verdicts, "scanned": cells}
    if rows is not None:
        total = sum(1 for _ in csv_path.open("rb")) - 1
        result |= {"measured_seconds": seconds, "seconds": seconds * total / rows, "rows": rows}
    return result


def measure_command(manifest: Path) -> dict[str, Any]:
    """The whole command a user runs: `governance audit MANIFEST --format json`, interpreter
    start, imports, the audit and writing audit.json included."""
    out = manifest.parent / f"report-{manifest.stem}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "governance",
            "audit",
            str(manifest),
            "--format",
            "json",
            "--out",
            str(out),
            "--quiet",
            "--fail-on",
            "none",
        ],
        capture_output=True,
        text=True,
        # this checkout's code, whatever the current folder holds
        cwd=manifest.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"governance audit failed: {done.stderr.strip()[-400:]}")
    return {"seconds": seconds}


def run_measurement(kind: str, target: Path, *extra: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its JSON result, plus process wall time."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(target), *extra],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


# ---------------------------------------------------------------------------------------------
# the report


def agreement(reference: dict[str, bool], other: dict[str, bool]) -> str:
    keys = sorted(reference)
    same = sum(reference[k] == other.get(k, False) for k in keys)
    differ = [k for k in keys if reference[k] != other.get(k, False)]
    return f"{same}/{len(keys)}" + (f" (differ: {', '.join(differ)})" if differ else "")


def bench_table(
    rows: int,
    columns: int,
    with_presidio: bool,
    formats: tuple[str, ...],
    modes: tuple[str, ...],
    presidio_rows: int | None = None,
) -> None:
    """One table: (a) presidio (on every row, or on the first `presidio_rows` rows scaled to
    every row), then each governance mode and file format, as the audit call ("check s") and
    as the whole `governance audit --format json` command, each with its ratio against (a)."""
    folder = WORK / f"{rows}x{columns}"
    t0 = time.perf_counter()
    paths = write_inputs(rows, columns, folder)
    print(
        f"\n## {rows:,} rows x {columns} columns (data ready in {time.perf_counter() - t0:.1f} s, "
        f"load average {_load()})"
    )
    reference = None
    if with_presidio:
        extra = () if presidio_rows is None else (str(presidio_rows),)
        reference = run_measurement("presidio", paths["csv"], *extra)
    lines = []
    if reference:
        label = "(a) presidio BatchAnalyzerEngine, every cell"
        if presidio_rows is not None:
            label += (
                f" (first {presidio_rows:,} rows in {reference['measured_seconds']:.1f} s, "
                "scaled to every row)"
            )
        lines.append((label, "csv", reference, None))
    for mode in modes:
        for fmt in formats:
            label = f"({'b' if mode == 'default' else 'c'}) governance {mode}"
            manifest = paths[f"{mode}-{fmt}"]
            check = run_measurement("governance", manifest)
            lines.append((label, fmt, check, measure_command(manifest)))
    print(
        "| run | file | values scanned | check s | whole command s | peak MB | "
        "check × (a) | whole command × (a) | verdicts agree with (a) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    full_reference = reference is not None and presidio_rows is None
    for label, fmt, m, command in lines:
        ratio = f"{reference['seconds'] / m['seconds']:.0f}x" if reference else "n/a"
        whole = (
            f"{reference['seconds'] / command['seconds']:.0f}x" if reference and command else "n/a"
        )
        agree = agreement(reference["verdicts"], m["verdicts"]) if full_reference else "n/a"
        found = sorted(k for k, v in m["verdicts"].items() if v)
        command_s = f"{command['seconds']:.2f}" if command else "n/a"
        print(
            f"| {label} | {fmt} | {m['scanned']:,} | {m['seconds']:.2f} | {command_s} | "
            f"{m['peak_mb']:.0f} | {ratio} | {whole} | {agree} |"
        )
        print(f"<!-- {label} {fmt} found: {', '.join(found)} -->")
    print(f"(load average after: {_load()})")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small tables, to try it out")
    parser.add_argument(
        "--large-only", action="store_true", help="only the 1M x 20 table (a few minutes)"
    )
    parser.add_argument(
        "--presidio-rows",
        type=int,
        default=1000,
        help="rows of the 1M x 20 table presidio (a) scans, scaled to every row",
    )
    parser.add_argument("--measure", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, target, *rest = args.measure
        if kind == "presidio":
            result = measure_presidio(Path(target), int(rest[0]) if rest else None)
        else:
            result = measure_governance(Path(target))
        print(json.dumps(result))
        return 0
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    both = ("csv", "parquet")
    if args.quick:
        bench_table(5_000, 8, True, ("csv",), ("default", "exhaustive"))
        bench_table(20_000, 20, True, both, ("default",), presidio_rows=500)
        return 0
    if not args.large_only:
        bench_table(100_000, 8, True, both, ("default", "exhaustive"))
    # (a) on every cell of 1M x 20 would take hours on two cores: it scans the first rows
    # (the rows are drawn independently, so they are a fair sample) and is scaled to all.
    bench_table(1_000_000, 20, True, both, ("default",), presidio_rows=args.presidio_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
