"""Helpers for the model check's tests: the check run on in-memory frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from governance.checks.context import CheckContext
from governance.checks.interface import CheckReport
from governance.checks.model.check import ModelCheck
from governance.checks.model.evidence import ModelCheckEvidence
from governance.checks.model.spec import ModelCheckSpec
from governance.config.confinement import InputScope
from governance.data.store import DatasetStore
from governance.manifest import LoadedManifest, Manifest


def run_model(
    frame: pd.DataFrame | None,
    rule: dict[str, Any],
    *,
    features: list[str] | None = None,
    dataset: dict[str, Any] | None = None,
    model: dict[str, Any] | None = None,
    folder: Path | None = None,
) -> CheckReport:
    """The model check's report for `rule` (the `model:` block), on `frame` declared as
    dataset `data` with label `y`, prediction `p`, and the model's `features`."""
    declared = {"label": "y", "prediction": "p", **(dataset or {})}
    manifest = Manifest.model_validate(
        {
            "name": "test",
            "model": {**({"features": tuple(features)} if features else {}), **(model or {})},
            "datasets": {"data": declared} if frame is not None else {},
            "policies": ("builtin:baseline",),
        }
    )
    anchor = (folder or Path.cwd()) / "audit.yaml"
    loaded = LoadedManifest(
        path=anchor, manifest=manifest, document=None, scope=InputScope.around(anchor)
    )  # type: ignore[arg-type]
    frames = {"data": frame} if frame is not None else {}
    store = DatasetStore(dict(manifest.datasets), frames)
    spec = ModelCheckSpec.model_validate(rule)
    try:
        return ModelCheck().run(spec, CheckContext(manifest=loaded, data=store))
    finally:
        store.close()


def evidence_of(report: CheckReport) -> ModelCheckEvidence:
    assert isinstance(report.evidence, ModelCheckEvidence)
    return report.evidence


def applicants(rows: int, seed: int) -> pd.DataFrame:
    """Applicants whose `zip_code` is tied to race (a proxy) and whose other features are not;
    `hired` depends on experience and skill only."""
    rng = np.random.default_rng(seed)
    race = rng.choice(["A", "B", "C"], rows, p=[0.5, 0.3, 0.2])
    sex = rng.choice(["F", "M"], rows)
    home = {"A": ["10001", "10002"], "B": ["20001", "20002"], "C": ["30001", "30002"]}
    tied = np.array([rng.choice(home[r]) for r in race])
    other = rng.choice(["10001", "10002", "20001", "20002", "30001", "30002"], rows)
    zip_code = np.where(rng.random(rows) < 0.9, tied, other)
    experience = np.round(rng.gamma(2.0, 3.0, rows), 1)
    skill = rng.normal(0, 1, rows)
    y = (rng.random(rows) < 1 / (1 + np.exp(-(skill + 0.1 * experience - 0.5)))).astype(int)
    return pd.DataFrame(
        {
            "race": race,
            "sex": sex,
            "zip_code": zip_code,
            "experience": experience,
            "skill": skill,
            "y": y,
        }
    )
