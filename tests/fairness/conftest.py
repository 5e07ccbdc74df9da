"""Running the fairness check directly on in-memory frames, and random data to test it on."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.evidence import FairnessEvidence
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.interface import CheckReport
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def run_fairness(
    frame: pd.DataFrame, dataset: dict[str, Any] | None = None, **rule: Any
) -> CheckReport:
    """The fairness check's report on `frame`, declared as dataset `data` with label `y`,
    prediction `p` and the sensitive features `rule` or `dataset` names."""
    declared = {"label": "y", "prediction": "p", **(dataset or {})}
    spec = FairnessSpec.model_validate({"dataset": "data", **rule})
    store = DatasetStore({"data": DatasetSpec.model_validate(declared)}, {"data": frame})
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    try:
        return FairnessCheck().run(spec, context)
    finally:
        store.close()


def evidence_of(report: CheckReport) -> FairnessEvidence:
    assert isinstance(report.evidence, FairnessEvidence)
    return report.evidence


def random_hiring_frame(rows: int, seed: int) -> pd.DataFrame:
    """Three sensitive features (2 x 6 x 5 = 60 intersections) with group-dependent rates."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], rows)
    race = rng.choice([f"race{i}" for i in range(6)], rows, p=[0.3, 0.2, 0.2, 0.15, 0.1, 0.05])
    age = rng.choice([f"age{i}" for i in range(5)], rows)
    race_index = np.array([int(r[-1]) for r in race])
    base = 0.2 + 0.08 * race_index + 0.05 * (sex == "F")
    y = (rng.random(rows) < base).astype(int)
    p = (rng.random(rows) < np.where(y == 1, 0.7, 0.25) - 0.03 * race_index).astype(int)
    score = np.round(rng.random(rows) * 0.5 + 0.1 * y + 0.02 * race_index, 3)
    return pd.DataFrame({"sex": sex, "race": race, "age": age, "y": y, "p": p, "score": score})


@pytest.fixture(scope="session")
def hiring_frame() -> pd.DataFrame:
    return random_hiring_frame(20_000, seed=7)
