"""Small real models and audits around them: a dataset of applicants, scikit-learn models
saved with skops, exported to ONNX or pickled, and a manifest that scores the data."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

FEATURES = ["experience", "education"]

FAIRNESS_POLICY = """\
policy: fair
rules:
  - id: FAIR-1
    title: Selection rates comparable across sex
    severity: high
    fairness:
      dataset: applicants
      metric: selection_rate
      compare: ratio_to_max
      sensitive_features: [sex]
      min: 0.8
      min_group_size: 5
"""


def applicants(rows: int = 400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    experience = rng.gamma(2.0, 3.0, rows).round(1)
    education = rng.choice(["school", "bachelor", "master"], rows)
    sex = rng.choice(["F", "M"], rows)
    hired = (experience + rng.normal(0, 2, rows) + (education == "master") * 2 > 6).astype(int)
    return pd.DataFrame(
        {"experience": experience, "education": education, "sex": sex, "hired": hired}
    )


def classifier(frame: pd.DataFrame) -> Pipeline:
    encode = ColumnTransformer(
        [("num", "passthrough", ["experience"]), ("cat", OneHotEncoder(), ["education"])]
    )
    model = Pipeline([("encode", encode), ("classify", LogisticRegression(max_iter=500))])
    return model.fit(frame[FEATURES], frame["hired"])


def regressor(frame: pd.DataFrame) -> LinearRegression:
    return LinearRegression().fit(frame[["experience"]], frame["hired"] * 1.5)


def onnx_bytes(model: Pipeline, *, zipmap: bool = False) -> bytes:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    exported = to_onnx(
        model,
        initial_types=[
            ("experience", FloatTensorType([None, 1])),
            ("education", StringTensorType([None, 1])),
        ],
        options={LogisticRegression: {"zipmap": zipmap}},
        target_opset=17,
    )
    return bytes(exported.SerializeToString())


class Payload:
    """A pickle that writes a marker file when unpickled (stands for any code)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('the payload ran')",))


def malicious_pickle(marker: Path) -> bytes:
    return pickle.dumps(Payload(marker))


def skops_bytes(model: object) -> bytes:
    return bytes(sio.dumps(model))


AuditFolder = Callable[..., Path]


@pytest.fixture
def audit_folder(tmp_path: Path) -> AuditFolder:
    """audit_folder(artifact_name, artifact_bytes, model_lines=..., dataset_lines=...,
    frame=...) -> the manifest of an audit of `frame` (applicants() by default) scored by the
    artifact, with one fairness rule."""

    def build(
        artifact: str,
        content: bytes,
        *,
        model_lines: str = "",
        dataset_lines: str = "    from_model: true\n",
        frame: pd.DataFrame | None = None,
        policy: str = FAIRNESS_POLICY,
    ) -> Path:
        folder = tmp_path / "audit"
        folder.mkdir(exist_ok=True)
        (folder / artifact).write_bytes(content)
        (frame if frame is not None else applicants()).to_csv(folder / "data.csv", index=False)
        (folder / "policy.yaml").write_text(policy, encoding="utf-8")
        manifest = folder / "audit.yaml"
        manifest.write_text(
            "name: scored\n"
            f"model:\n  artifact: {artifact}\n{model_lines}"
            "datasets:\n  applicants:\n    path: data.csv\n    label: hired\n"
            f"    sensitive_features: [sex]\n{dataset_lines}"
            "policies: [policy.yaml]\n",
            encoding="utf-8",
        )
        return manifest

    return build
