"""Benchmark: the fairness check against fairlearn's MetricFrame on the same data, same run.

Synthetic data with three sensitive features (2 x 6 x 5 = 60 intersectional groups), a label, a
prediction and a score, at 1,000,000 and 5,000,000 rows. For each size:
- `command`: the whole command, `governance audit MANIFEST --format json --quiet` in a fresh
  process (start-up, manifest and policy, input hashing, the check, audit.json), on the Parquet
  file with one rule of the seven rates over the 60 intersections; its wall time;
- `ours-parquet`: the check in process on the Parquet file on disk (queried in place);
- `ours-memory`: the check on a pandas frame registered with DuckDB (no copy);
- `metricframe`: pandas reading the file, then MetricFrame over the frame, the same seven rates.
Columns: `read` is pandas reading the Parquet file into a frame; `open` is the store opening the
dataset (a view over the file, or registering the frame); `check` is the whole fairness check
(column validation, the group-by, every rate, interval, test and comparison), first run in the
process; `warm` is the same check run again; `bare` is the bare DuckDB group-by of the same
counts on the same data (the warm check is compared with it). `x MF` is MetricFrame's time,
read included, over our time, load or read included: for `command`, its whole wall time.
Each case runs in its own process so its peak memory (max RSS) is its own. The script prints
times, the speed-up, peak memory and the maximum absolute difference of every metric over the
60 groups and overall (which must be 0).

Run: `PYTHONPATH=$PWD python benchmarks/fairness.py` (add `--rows 1000000` for one size,
`--repeat N` to time our cases N times and keep the best; MetricFrame runs once). The load
average is printed before and after each size: the ratios of one run are the figure to keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FEATURES = ["sex", "race", "age"]
RATES = [
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "false_negative_rate",
    "true_negative_rate",
    "precision",
    "accuracy",
]


def make_data(rows: int, path: Path, seed: int = 2026) -> None:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], rows)
    race = rng.choice([f"race_{i}" for i in range(6)], rows, p=[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])
    age = rng.choice([f"age_{i}" for i in range(5)], rows)
    shift = np.searchsorted(np.unique(race), race)
    y = (rng.random(rows) < 0.3 + 0.03 * shift).astype(np.int8)
    score = np.clip(rng.normal(0.4 + 0.2 * y - 0.02 * shift, 0.2), 0, 1).round(4)
    p = (score >= 0.5).astype(np.int8)
    frame = pd.DataFrame({"sex": sex, "race": race, "age": age, "y": y, "p": p, "score": score})
    frame.to_parquet(path, row_group_size=250_000)


def run_ours(path: Path, in_memory: bool) -> dict[str, Any]:
    # Imported before timing, as fairlearn is for MetricFrame: the check imports scipy.stats
    # (~0.7 s, once per process) only when it first computes an interval.
    import scipy.stats  # noqa: F401

    from governance.checks.context import CheckContext
    from governance.checks.fairness.check import FairnessCheck
    from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
    from governance.checks.fairness.spec import FairnessSpec
    from governance.data.store import DatasetStore
    from governance.manifest import DatasetSpec

    spec = FairnessSpec.model_validate(
        {
            "dataset": "bench",
            "metrics": RATES,
            "sensitive_features": FEATURES,
            "per_feature": False,
            "intersectional": True,
        }
    )
    declared = {"label": "y", "prediction": "p", "score": "score"}
    started = time.perf_counter()
    frames = {}
    if in_memory:
        frames = {"bench": pd.read_parquet(path)}
    else:
        declared["path"] = str(path)
    read = time.perf_counter()
    store = DatasetStore({"bench": DatasetSpec.model_validate(declared)}, frames)
    store.columns("bench")  # open: a view over the file, or the frame registered
    loaded = time.perf_counter()
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    report = FairnessCheck().run(spec, context)
    checked = time.perf_counter()
    warm = min(_timed(lambda: FairnessCheck().run(spec, context)) for _ in range(3))
    bare_sql = "SELECT sex, race, age, y, p, count(*) FROM {table} GROUP BY sex, race, age, y, p"
    bare = min(
        _timed(lambda: store.query("bench", lambda table: bare_sql.format(table=table)))
        for _ in range(3)
    )
    evidence = report.evidence
    assert isinstance(evidence, FairnessEvidence)
    values: dict[str, dict[str, float | None]] = {}
    for comparison in evidence.feature_sets[0].rates:
        values[comparison.metric.value] = {
            group.group: group.rate
            for group in comparison.groups
            if group.status is GroupStatus.COMPARED
        }
        values[comparison.metric.value]["(overall)"] = comparison.overall
    store.close()
    return {
        "read_seconds": read - started,
        "load_seconds": loaded - read,
        "check_seconds": checked - loaded,
        "warm_seconds": warm,
        "bare_seconds": bare,
        "values": values,
    }


def _timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def run_command(path: Path) -> dict[str, Any]:
    """The whole `governance audit` command on `path`, in a fresh process, json only."""
    folder = path.parent / f"command-{path.stem}"
    folder.mkdir(exist_ok=True)
    data = folder / "data.parquet"
    if not data.exists():
        data.hardlink_to(path)
    (folder / "policy.yaml").write_text(_POLICY)
    (folder / "audit.yaml").write_text(_MANIFEST)
    out = folder / "out"
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "governance", "audit", str(folder / "audit.yaml")]
    started = time.perf_counter()
    subprocess.run([*command, "--format", "json", "--out", str(out), "--quiet"], check=True)
    wall = time.perf_counter() - started
    audit = json.loads((out / "audit.json").read_text())
    return {
        "read_seconds": 0.0,
        "load_seconds": 0.0,
        "check_seconds": float(audit["rules"][0]["duration_seconds"]),
        "command_seconds": wall,
        "values": {},
        # the command's own process, not this one
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


_POLICY = f"""\
policy: bench
rules:
  - id: FAIR-7
    title: Seven rates over the 60 intersectional groups
    severity: info
    fairness:
      dataset: bench
      metrics: [{", ".join(RATES)}]
      sensitive_features: [{", ".join(FEATURES)}]
      per_feature: false
      intersectional: true
"""
_MANIFEST = f"""\
name: bench
datasets:
  bench:
    path: data.parquet
    label: y
    prediction: p
    score: score
    sensitive_features: [{", ".join(FEATURES)}]
policies: [policy.yaml]
"""


def run_metricframe(path: Path) -> dict[str, Any]:
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
        true_negative_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score, precision_score

    from governance.checks.fairness.groups import group_label

    metrics = {
        "selection_rate": partial(selection_rate, pos_label=1),
        "true_positive_rate": partial(true_positive_rate, pos_label=1),
        "false_positive_rate": partial(false_positive_rate, pos_label=1),
        "false_negative_rate": partial(false_negative_rate, pos_label=1),
        "true_negative_rate": partial(true_negative_rate, pos_label=1),
        "precision": partial(precision_score, zero_division=0),
        "accuracy": accuracy_score,
    }
    started = time.perf_counter()
    frame = pd.read_parquet(path)
    read = time.perf_counter()
    mf = MetricFrame(
        metrics=metrics, y_true=frame["y"], y_pred=frame["p"], sensitive_features=frame[FEATURES]
    )
    checked = time.perf_counter()
    values: dict[str, dict[str, float | None]] = {}
    for metric in RATES:
        values[metric] = {
            group_label(tuple(FEATURES), tuple(str(k) for k in key)): float(value)
            for key, value in mf.by_group[metric].items()
        }
        values[metric]["(overall)"] = float(mf.overall[metric])
    return {
        "read_seconds": read - started,
        "load_seconds": 0.0,
        "check_seconds": checked - read,
        "values": values,
    }


def case(name: str, path: Path) -> dict[str, Any]:
    match name:
        case "ours-parquet":
            result = run_ours(path, in_memory=False)
        case "ours-memory":
            result = run_ours(path, in_memory=True)
        case "command":
            result = run_command(path)
        case _:
            result = run_metricframe(path)
    result.setdefault("peak_rss_mb", peak_rss_mb())
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss, which a child
    inherits from its parent across fork and exec (the parent generated the data)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_subprocess(name: str, path: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--case", name, "--data", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.splitlines()[-1])  # type: ignore[no-any-return]


def max_difference(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, float]:
    differences = {}
    for metric in RATES:
        a, b = ours["values"][metric], theirs["values"][metric]
        assert set(a) == set(b), f"groups differ for {metric}"
        differences[metric] = max(abs(a[g] - b[g]) for g in a)  # type: ignore[operator]
    return differences


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case")
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.data)))
        return
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows or [1_000_000, 5_000_000]:
            path = Path(folder) / f"bench-{rows}.parquet"
            make_data(rows, path)
            size = path.stat().st_size / 2**20
            print(
                f"\n{rows:,} rows, 60 intersectional groups, {len(RATES)} rates "
                f"(Parquet {size:.1f} MB)"
            )
            print(f"load average before: {_load_average()}")
            results = {}
            for name in ("command", "ours-parquet", "ours-memory"):
                runs = [in_subprocess(name, path) for _ in range(args.repeat)]
                results[name] = min(runs, key=_our_time)
            results["metricframe"] = in_subprocess("metricframe", path)
            print(f"load average after: {_load_average()}")
            metricframe = results["metricframe"]
            reference = metricframe["read_seconds"] + metricframe["check_seconds"]
            print(
                f"{'case':<14}{'total s':>9}{'read s':>8}{'open s':>8}{'check s':>9}"
                f"{'warm s':>8}{'bare s':>8}{'x MF':>8}{'peak RSS MB':>13}"
            )
            for name, result in results.items():
                total = _our_time(result) if name != "metricframe" else reference
                warm, bare = result.get("warm_seconds"), result.get("bare_seconds")
                print(
                    f"{name:<14}{total:>9.2f}{result['read_seconds']:>8.2f}"
                    f"{result['load_seconds']:>8.2f}{result['check_seconds']:>9.2f}"
                    f"{_seconds(warm):>8}{_seconds(bare):>8}{reference / total:>7.0f}x"
                    f"{result['peak_rss_mb']:>13.0f}"
                )
            for name in ("ours-parquet", "ours-memory"):
                result = results[name]
                print(
                    f"{name}: warm check / bare group-by = "
                    f"{result['warm_seconds'] / result['bare_seconds']:.1f}x"
                )
                differences = max_difference(result, metricframe)
                print(
                    f"max |{name} - MetricFrame|: "
                    + ", ".join(f"{m} {d:g}" for m, d in differences.items())
                )


def _our_time(result: dict[str, Any]) -> float:
    """The whole command's wall time, or the check's with the dataset opened (read included)."""
    if "command_seconds" in result:
        return float(result["command_seconds"])
    return float(result["read_seconds"] + result["load_seconds"] + result["check_seconds"])


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
