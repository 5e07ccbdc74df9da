"""Benchmark: the model check's proxy table against one fairness rule on the same data.

Synthetic data at 1,000,000 rows (by default) with three sensitive features (2 x 6 x 5 values),
20 model input features (10 numeric, cut into 10 quantile bins; 10 text, 8 values each, two of
them tied to race), a label and a prediction, in a Parquet file the store queries in place.
Timed, best of `--repeat` (wall, and CPU time of every thread of the process: the machine is
shared, and the CPU ratio is the steadier one), each run on the dataset opened anew (untimed), as
an audit's first rule on it:
- `proxies`: the proxy rule over 20 features x 3 sensitive features (60 pairs), one data-engine
  operation (`proxy_counts`): a shape pass (the numeric features counted per value, their exact
  quantile edges; every text column's values listed with their hashes, its exact number of
  values), then one pass streamed in Arrow batches (texts as windows of their hashes' bits, numeric
  features as DOUBLE binned by numpy, each feature's tables counted by `numpy.bincount`);
- `fairness (EEOC)`: the EEOC four-fifths rule (selection rate, impact ratio to the highest
  group, each sensitive feature on its own, with the significance test);
- `fairness (7 rates)`: the rule of `benchmarks/fairness.py` (7 rates, 60 intersections).
The target is the proxy table within 3x one fairness rule. The NMI of three pairs is checked
against scikit-learn's `normalized_mutual_info_score` on the same binned values (max |diff|).

Run: `PYTHONPATH=$PWD python benchmarks/model_proxies.py` (`--rows N`, `--repeat N`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SENSITIVE = ["sex", "race", "age"]
NUMERIC = [f"num{i}" for i in range(10)]
TEXT = [f"cat{i}" for i in range(10)]


def make_data(rows: int, path: Path, seed: int = 2026) -> None:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], rows)
    race = rng.choice([f"race_{i}" for i in range(6)], rows, p=[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])
    age = rng.choice([f"age_{i}" for i in range(5)], rows)
    shift = np.searchsorted(np.unique(race), race)
    columns: dict[str, Any] = {"sex": sex, "race": race, "age": age}
    for i, name in enumerate(NUMERIC):
        columns[name] = rng.normal(0.1 * shift * (i % 2), 1.0, rows).round(3)
    for i, name in enumerate(TEXT):
        values = rng.integers(0, 8, rows)
        if i < 2:  # proxies of race
            values = np.where(rng.random(rows) < 0.7, shift + i, values)
        columns[name] = np.array([f"v{k}" for k in range(14)])[values]
    y = (rng.random(rows) < 0.3 + 0.03 * shift).astype(np.int8)
    columns["y"] = y
    columns["p"] = (rng.random(rows) < np.where(y == 1, 0.7, 0.2)).astype(np.int8)
    pd.DataFrame(columns).to_parquet(path, row_group_size=250_000)


def best_of(
    repeat: int, prepare: Callable[[], Any], run: Callable[[Any], Any]
) -> tuple[tuple[float, float], Any]:
    """(best wall, best CPU) seconds of `run(prepare())`, `prepare` untimed, and the last
    result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        prepared = prepare()
        started, cpu = time.perf_counter(), time.process_time()
        result = run(prepared)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return (min(walls), min(cpus)), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import scipy.stats  # noqa: F401  (imported once per process by the checks' intervals)
    from sklearn.metrics import normalized_mutual_info_score

    from governance.checks.context import CheckContext
    from governance.checks.fairness.check import FairnessCheck
    from governance.checks.fairness.spec import FairnessSpec
    from governance.checks.model.check import ModelCheck
    from governance.checks.model.evidence import ModelCheckEvidence
    from governance.checks.model.spec import ModelCheckSpec
    from governance.config.confinement import InputScope
    from governance.data.store import DatasetStore
    from governance.manifest import LoadedManifest, Manifest

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.parquet"
        make_data(args.rows, path)
        dataset = {"path": str(path), "label": "y", "prediction": "p"}
        manifest = Manifest.model_validate(
            {
                "name": "bench",
                "model": {"features": (*NUMERIC, *TEXT)},
                "datasets": {"bench": {**dataset, "sensitive_features": tuple(SENSITIVE)}},
                "policies": ("builtin:baseline",),
            }
        )
        anchor = Path(folder) / "audit.yaml"
        loaded = LoadedManifest(anchor, manifest, None, InputScope.around(anchor))  # type: ignore[arg-type]
        store = DatasetStore(dict(manifest.datasets), {})
        started = time.perf_counter()
        store.columns("bench")
        load = time.perf_counter() - started
        proxies = ModelCheckSpec.model_validate({"proxies": {"max_nmi": 0.3}})
        eeoc = FairnessSpec.model_validate(
            {
                "metric": "selection_rate",
                "min": 0.8,
                "min_share": 0.02,
                "require_significance": True,
            }
        )
        seven = FairnessSpec.model_validate(
            {
                "metrics": [
                    "selection_rate",
                    "true_positive_rate",
                    "false_positive_rate",
                    "false_negative_rate",
                    "true_negative_rate",
                    "precision",
                    "accuracy",
                ],
                "per_feature": False,
                "intersectional": True,
            }
        )
        stores = [store]

        def fresh() -> CheckContext:
            """The dataset opened anew (untimed): each rule runs as an audit's first rule on
            it, without what the store keeps from earlier rules (a fairness rule's looks at
            its columns)."""
            opened = DatasetStore(dict(manifest.datasets), {})
            opened.columns("bench")
            stores.append(opened)
            return CheckContext(manifest=loaded, data=opened)

        proxy_s, report = best_of(args.repeat, fresh, lambda c: ModelCheck().run(proxies, c))
        eeoc_s, _ = best_of(args.repeat, fresh, lambda c: FairnessCheck().run(eeoc, c))
        seven_s, _ = best_of(args.repeat, fresh, lambda c: FairnessCheck().run(seven, c))
        evidence = report.evidence
        assert isinstance(evidence, ModelCheckEvidence)
        frame = pd.read_parquet(path)
        rows = {(r.feature, r.sensitive_feature): r for r in evidence.proxies}
        difference = 0.0
        for feature, sensitive in (("cat0", "race"), ("num1", "race"), ("cat5", "sex")):
            values = frame[feature]
            if feature in NUMERIC:
                edges = np.unique(
                    np.quantile(values, [i / 10 for i in range(1, 10)], method="inverted_cdf")
                )
                values = np.searchsorted(edges, values, side="left")
            expected = normalized_mutual_info_score(frame[sensitive], values)
            difference = max(difference, abs((rows[feature, sensitive].nmi or 0) - expected))
        for opened in stores:
            opened.close()
    failing = sorted({r.feature for r in evidence.proxies if r.failing})
    load_average = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"rows: {args.rows:,}; open: {load:.2f} s; best of {args.repeat}; load {load_average}")
    (wall, cpu) = proxy_s
    print(f"proxy table, {len(rows)} pairs: {wall:.2f} s, CPU {cpu:.2f} s")
    print(f"failing: {', '.join(failing)}")
    for label, (other_wall, other_cpu) in (
        ("fairness rule (EEOC, 3 features)", eeoc_s),
        ("fairness rule (7 rates, 60 groups)", seven_s),
    ):
        print(
            f"{label}: {other_wall:.2f} s, CPU {other_cpu:.2f} s -> proxies "
            f"x{wall / other_wall:.1f} (CPU x{cpu / other_cpu:.1f})"
        )
    print(f"max |NMI - scikit-learn| over 3 pairs: {difference:.2e}")
    print(f"load average after: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
