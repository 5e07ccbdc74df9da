"""Benchmark: the fairness check against fairlearn's MetricFrame on the same data, same run.

Synthetic data with three sensitive features (2 x 6 x 5 = 60 intersectional groups), a label, a
prediction and a score, at 1,000,000 and 5,000,000 rows. For each size:
- `ours-parquet`: the check on a Parquet file on disk (DuckDB loads it once, then one group-by);
- `ours-memory`: the check on a pandas frame registered with DuckDB (no copy);
- `metricframe`: MetricFrame over the same frame, the same seven rates.
Columns: `read` is pandas reading the Parquet file into a frame (not counted in the ratios);
`load` is DuckDB loading the file into its table (the store does this once per audit) or
registering the frame; `check` is the whole fairness check (column validation, the group-by,
every rate, interval, test and comparison). `x check` is MetricFrame's time over our check's;
`x load+check` includes the load.
Each case runs in its own process so its peak memory (max RSS) is its own. The script prints
times, the speed-up, peak memory and the maximum absolute difference of every metric over the
60 groups and overall (which must be 0).

Run: `PYTHONPATH=$PWD python benchmarks/fairness.py` (add `--rows 1000000` for one size,
`--repeat N` to time our cases N times and keep the best; MetricFrame runs once).
"""

from __future__ import annotations

import argparse
import json
import resource
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
    store.table("bench")  # load (Parquet) or register (frame)
    loaded = time.perf_counter()
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    report = FairnessCheck().run(spec, context)
    checked = time.perf_counter()
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
        "values": values,
    }


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
        case _:
            result = run_metricframe(path)
    result["peak_rss_mb"] = peak_rss_mb()
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
            results = {}
            for name in ("ours-parquet", "ours-memory"):
                runs = [in_subprocess(name, path) for _ in range(args.repeat)]
                results[name] = min(runs, key=lambda r: r["load_seconds"] + r["check_seconds"])
            results["metricframe"] = in_subprocess("metricframe", path)
            reference = results["metricframe"]["check_seconds"]
            print(
                f"{'case':<14}{'read s':>9}{'load s':>9}{'check s':>9}{'x check':>9}"
                f"{'x load+check':>14}{'peak RSS MB':>13}"
            )
            for name, result in results.items():
                check = result["check_seconds"]
                total = result["load_seconds"] + check
                print(
                    f"{name:<14}{result['read_seconds']:>9.2f}{result['load_seconds']:>9.2f}"
                    f"{check:>9.2f}{reference / check:>8.0f}x{reference / total:>13.0f}x"
                    f"{result['peak_rss_mb']:>13.0f}"
                )
            for name in ("ours-parquet", "ours-memory"):
                differences = max_difference(results[name], results["metricframe"])
                print(
                    f"max |{name} - MetricFrame|: "
                    + ", ".join(f"{m} {d:g}" for m, d in differences.items())
                )


if __name__ == "__main__":
    main()
