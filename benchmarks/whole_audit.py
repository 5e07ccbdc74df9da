"""The whole audit as a user runs it: 1M rows x 20 columns, PII + fairness + documentation,
every default format, signed.

    PYTHONPATH=$PWD python benchmarks/whole_audit.py [--runs 3] [--rows 1000000] [--no-reference]

Prints, from one run of this script:
  - the whole command, `governance audit audit.yaml --sign --key ... --cert ...` (the default
    formats: console, audit.json, summary.md, report.pdf, report.sarif, junit.xml, plus the
    signer's files and the attestation), in a fresh process each time: wall time, CPU time
    (the command and its child processes: report.pdf renders in one), best and median of N;
    the load average before and after, since the machine may be shared;
  - the split by stage, from a fresh process that runs the same steps one after the other and
    times each: imports, the audit (data checks; its rules' own times by kind, from the
    result), each format (report.pdf from a child prepared as the command prepares it, with
    that child's CPU time), signing (pyHanko's import and the signature apart). In the command,
    report.pdf renders in a child process while the other formats render and pyHanko loads, so
    the command takes less than the sum;
  - the reference libraries on the same data, from the same run, as ratios: fairlearn's
    `MetricFrame` (the four-fifths rule's selection rates over every intersectional group,
    reading the Parquet columns included) against our fairness rules; presidio's
    `BatchAnalyzerEngine` over a seeded 1,000-value sample of each text column (the default
    scan's budget) against our PII rules.

The table is the PII benchmark's synthetic data (Faker, seeded; `benchmarks/pii.py`), 14 of its
columns, plus sex, race/ethnicity, age band, label, prediction and score (60 intersectional
groups, seeded): a Parquet file under $WHOLE_AUDIT_DIR (default /tmp/governance-whole-audit),
built once. Needs Faker (the `benchmark` extra) and fairlearn (the `test` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("WHOLE_AUDIT_DIR", "/tmp/governance-whole-audit"))
SEED = 20261129
SENSITIVE = ("sex", "race_ethnicity", "age_band")
POLICIES = ("builtin:baseline", "builtin:gdpr-pii", "builtin:eeoc-four-fifths")
PII_ENTITIES = (
    "CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_ITIN", "US_PASSPORT", "UK_NHS",
    "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS",
)  # fmt: skip
"""The entities of `builtin:gdpr-pii`'s two scanning rules."""
SAMPLE = 1_000


# ---------------------------------------------------------------------------------------------
# inputs


def write_inputs(rows: int, folder: Path) -> Path:
    """The table, a model card, a datasheet, a manifest and a signing key; the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "table.parquet"
    if not table.exists():
        _write_table(rows, table)
    example = ROOT / "examples" / "hiring"
    for name in ("MODEL_CARD.md", "DATASHEET.md"):
        shutil.copyfile(example / name, folder / name)
    manifest = folder / "audit.yaml"
    manifest.write_text(
        "name: whole-audit-benchmark\n"
        "model: {card: MODEL_CARD.md}\n"
        "datasets:\n"
        "  table:\n"
        "    path: table.parquet\n"
        "    label: hired\n"
        "    prediction: predicted\n"
        "    score: score\n"
        "    threshold: 0.5\n"
        f"    sensitive_features: [{', '.join(SENSITIVE)}]\n"
        "    pii_columns: {email: EMAIL_ADDRESS}\n"
        "    datasheet: DATASHEET.md\n"
        f"policies: [{', '.join(POLICIES)}]\n"
    )
    keys = folder / "keys"
    if not (keys / "signing-key.pem").exists():
        subprocess.run(
            [sys.executable, "-m", "governance", "keys", "init", "--name", "Benchmark",
             "--out", str(keys), "--force"],
            check=True, capture_output=True, env=_environment(),
        )  # fmt: skip
    return manifest


def _write_table(rows: int, path: Path) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pii import build_table  # the PII benchmark's columns, with their known PII

    frame = build_table(rows, 14)
    rng = np.random.default_rng(SEED)
    sex = rng.choice(np.array(["Female", "Male"], dtype=object), rows)
    race = rng.choice(
        np.array(["Asian", "Black", "Hispanic", "White", "Native American", "Two or more"],
                 dtype=object),
        rows,
    )  # fmt: skip
    age = rng.choice(np.array(["18-24", "25-34", "35-44", "45-54", "55+"], dtype=object), rows)
    score = rng.random(rows)
    # A selection that depends on the group, so some groups fall under four-fifths.
    bias = np.where(race == "Black", -0.15, 0.0) + np.where(sex == "Female", -0.05, 0.0)
    frame["sex"], frame["race_ethnicity"], frame["age_band"] = sex, race, age
    frame["hired"] = (rng.random(rows) < 0.3 + bias).astype("int8")
    frame["score"] = score.round(4)
    frame["predicted"] = (score + bias > 0.5).astype("int8")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def _environment() -> dict[str, str]:
    # No SOURCE_DATE_EPOCH: as a user runs it, and with the rules' durations in audit.json
    # (a pinned date records them as zero).
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("SOURCE_DATE_EPOCH", None)
    return environment


def _command(manifest: Path, out: Path) -> list[str]:
    keys = manifest.parent / "keys"
    return [
        sys.executable, "-m", "governance", "audit", str(manifest), "--out", str(out),
        "--force", "-q", "--sign", "--key", str(keys / "signing-key.pem"),
        "--cert", str(keys / "signing-cert.pem"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# the whole command


def run_command(manifest: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the command and its children), exit status."""
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    process = subprocess.Popen(
        _command(manifest, out), env=_environment(), stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, process.returncode


def rule_seconds(out: Path) -> dict[str, float]:
    """The rules' own times, summed by kind, from the command's audit.json."""
    result = json.loads((out / "audit.json").read_text())
    by_kind: dict[str, float] = {}
    for rule in result["rules"]:
        by_kind[rule["kind"]] = by_kind.get(rule["kind"], 0.0) + rule["duration_seconds"]
    return by_kind


# ---------------------------------------------------------------------------------------------
# the stages, one after the other, in a fresh process (`--stages`)


def measure_stages(manifest: Path) -> dict[str, float]:
    times: dict[str, float] = {}

    def timed(name: str, action: Any) -> Any:
        started = time.perf_counter()
        value = action()
        times[name] = time.perf_counter() - started
        return value

    timed("imports (CLI, engine)", lambda: __import__("governance.engine.run"))
    from governance.engine.run import run_audit
    from governance.render.formats import DEFAULT_FORMATS, ReportFormat
    from governance.render.prepared_pdf import prepared_pdf_renderer

    files: dict[str, str | bytes] = {}
    # As the command does it: report.pdf's child forked before the checks (it imports
    # weasyprint meanwhile) and sent what it renders after them; timed here from the sending to
    # the bytes, not overlapped with the other formats. Its CPU time, imports included, apart.
    with prepared_pdf_renderer(True) as start_pdf:
        result = timed("audit: data checks", lambda: run_audit(manifest))
        for report_format in DEFAULT_FORMATS:
            name = report_format.file_name
            if name is None:
                continue
            if report_format is ReportFormat.PDF and start_pdf is not None:
                # A child's CPU time is counted when it is reaped: after the PDF, the child's
                # alone (the audit's own child processes were reaped before).
                children_cpu = _children_cpu()
                files[name] = timed(f"format: {name} (its child)", start_pdf(result))
                times[f"  {name}'s child: CPU, imports included"] = _children_cpu() - children_cpu
            else:
                files[name] = timed(f"format: {name}", lambda f=report_format: f.render(result))
    timed("signing: import pyHanko", lambda: __import__("governance.signing.report_signing"))
    from governance.signing.material import load_signing_material
    from governance.signing.report_signing import sign_report_files

    keys = manifest.parent / "keys"
    material = load_signing_material(keys / "signing-key.pem", keys / "signing-cert.pem")
    timed("signing: PAdES + attestation", lambda: sign_report_files(files, result, material))
    return times


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


# ---------------------------------------------------------------------------------------------
# the references (`--reference KIND`), each in a fresh process


def fairlearn_seconds(manifest: Path) -> float:
    import pyarrow.parquet as pq
    from fairlearn.metrics import MetricFrame, selection_rate

    started = time.perf_counter()
    frame = pq.read_table(
        manifest.parent / "table.parquet", columns=[*SENSITIVE, "hired", "predicted"]
    ).to_pandas()
    metrics = MetricFrame(
        metrics={"selection_rate": selection_rate, "count": lambda t, p: len(t)},
        y_true=frame["hired"],
        y_pred=frame["predicted"],
        sensitive_features=frame[list(SENSITIVE)],
    )
    metrics.by_group["selection_rate"] / metrics.group_max()["selection_rate"]
    return time.perf_counter() - started


def presidio_seconds(manifest: Path) -> float:
    import pyarrow.parquet as pq
    from presidio_analyzer import BatchAnalyzerEngine

    from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

    engine = BatchAnalyzerEngine(analyzer_engine=shared_analyzer(AnalyzerConfig()))
    table = pq.read_table(manifest.parent / "table.parquet")
    import random

    chooser = random.Random(SEED)
    sample: dict[str, list[str]] = {}
    for name in table.column_names:
        values = [str(v) for v in table.column(name).to_pylist() if v is not None]
        sample[name] = chooser.sample(values, min(SAMPLE, len(values)))
    started = time.perf_counter()
    for _ in engine.analyze_dict(sample, language="en", entities=list(PII_ENTITIES)):
        pass
    return time.perf_counter() - started


def _in_fresh_process(*arguments: str) -> Any:
    completed = subprocess.run(
        [sys.executable, __file__, *arguments],
        check=True, capture_output=True, text=True, env=_environment(),
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------


def _ratio(reference: float, ours: float) -> str:
    return f"{reference / ours:.1f}x" if ours > 0 else "n/a (no time recorded)"


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-reference", action="store_true", help="skip fairlearn, presidio")
    parser.add_argument("--stages", metavar="MANIFEST", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reference", nargs=2, metavar=("KIND", "MANIFEST"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args(argv)
    if arguments.stages:
        print(json.dumps(measure_stages(Path(arguments.stages))))
        return 0
    if arguments.reference:
        kind, target = arguments.reference
        measure = fairlearn_seconds if kind == "fairlearn" else presidio_seconds
        print(json.dumps(measure(Path(target))))
        return 0

    folder = WORK / f"{arguments.rows}x20"
    started = time.perf_counter()
    manifest = write_inputs(arguments.rows, folder)
    print(f"inputs ready in {time.perf_counter() - started:.1f} s: {folder}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {_load()}")

    out = folder / "out"
    run_command(manifest, out)  # unmeasured: bytecode caches, the page cache
    runs = []
    for _ in range(arguments.runs):
        before = _load()
        wall, cpu, status = run_command(manifest, out)
        runs.append((wall, cpu))
        print(f"  command: {wall:5.2f} s wall, {cpu:5.2f} s CPU, exit {status}, "
              f"load {before} -> {_load()}")  # fmt: skip
    walls = sorted(wall for wall, _ in runs)
    best_wall, best_cpu = min(runs)
    pdf = (out / "report.pdf").stat().st_size
    print(
        f"\nwhole command, best of {len(runs)}: {best_wall:.2f} s wall ({best_cpu:.2f} s CPU), "
        f"median {statistics.median(walls):.2f} s; report.pdf {pdf / 1024:.0f} KiB, signed"
    )

    stages = _in_fresh_process("--stages", str(manifest))
    kinds = rule_seconds(out)
    print(f"\nstages, one after the other (fresh process, load {_load()}):")
    for name, seconds in stages.items():
        print(f"  {name:32s} {seconds:6.2f} s")
    steps = sum(seconds for name, seconds in stages.items() if not name.startswith(" "))
    print(f"  {'sum of the steps':32s} {steps:6.2f} s")
    print("  rules' own times in the last command, by kind: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(kinds.items())))  # fmt: skip

    if not arguments.no_reference:
        print(f"\nreferences on the same data (fresh processes, load {_load()}):")
        fairlearn = _in_fresh_process("--reference", "fairlearn", str(manifest))
        ours = kinds.get("fairness", 0.0)
        print(f"  fairlearn MetricFrame, 60 groups, Parquet read included: {fairlearn:.2f} s; "
              f"our fairness rules {ours:.2f} s: {_ratio(fairlearn, ours)}")  # fmt: skip
        presidio = _in_fresh_process("--reference", "presidio", str(manifest))
        ours = kinds.get("pii", 0.0)
        print(f"  presidio BatchAnalyzerEngine, {SAMPLE:,} values a column: {presidio:.2f} s; "
              f"our PII rules (every column) {ours:.2f} s: {_ratio(presidio, ours)}")  # fmt: skip
    print(f"\nload average at the end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
