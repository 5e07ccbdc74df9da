"""The hiring example's model: reproduced byte for byte by its script (the manifest pins the
skops file's sha256), and its ONNX export predicts what the skops model predicts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pandas as pd
import skops.io as sio

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hiring"


def _script():
    spec = importlib.util.spec_from_file_location("train_model", EXAMPLE / "train_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_model_is_reproduced_by_its_script(tmp_path):
    written = _script().write(tmp_path)
    for path in written:
        committed = EXAMPLE / "model" / path.name
        assert path.read_bytes() == committed.read_bytes(), f"run: python {EXAMPLE}/train_model.py"


def test_the_onnx_export_predicts_what_the_skops_model_predicts():
    frame = pd.read_csv(EXAMPLE / "data" / "applicants.csv")
    features = _script().FEATURES
    model = sio.load(EXAMPLE / "model" / "hiring-screen.skops", trusted=[])
    session = ort.InferenceSession(
        str(EXAMPLE / "model" / "hiring-screen.onnx"), providers=["CPUExecutionProvider"]
    )
    feeds = {
        "years_experience": frame[["years_experience"]].to_numpy(np.float32),
        "education": frame[["education"]].to_numpy(object),
        "race_ethnicity": frame[["race_ethnicity"]].to_numpy(object),
    }
    label, probabilities = session.run(["label", "probabilities"], feeds)
    assert (label == model.predict(frame[features])).all()
    np.testing.assert_allclose(
        probabilities[:, 1], model.predict_proba(frame[features])[:, 1], atol=1e-5
    )
