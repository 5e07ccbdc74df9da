"""Train the example's hiring-screen model and save it twice, deterministically: as skops
(`model/hiring-screen.skops`) and as its ONNX export (`model/hiring-screen.onnx`).

Run from anywhere after `python examples/hiring/generate_data.py`:
`python examples/hiring/train_model.py`. The same data gives the same bytes (the manifest pins
the skops file's sha256). The model learns the screen's past decisions (`predicted`) from
experience, education and, deliberately, race/ethnicity: it reproduces the screen's disparity,
which the audit is there to find.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "applicants.csv"
FEATURES = ["years_experience", "education", "race_ethnicity"]
TARGET = "predicted"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def train(data: Path = DATA) -> Pipeline:
    frame = pd.read_csv(data)
    encoded = ColumnTransformer(
        [
            ("experience", StandardScaler(), ["years_experience"]),
            ("categories", OneHotEncoder(handle_unknown="ignore"), ["education", "race_ethnicity"]),
        ]
    )
    # Balanced classes: the screen advances about four in ten applicants, as the old one did.
    classify = LogisticRegression(max_iter=1000, class_weight="balanced")
    model = Pipeline([("encode", encoded), ("classify", classify)])
    return model.fit(frame[FEATURES], frame[TARGET])


def skops_bytes(model: Pipeline) -> bytes:
    """skops' file made reproducible: skops numbers objects (`__id__`) and names array files
    after `id()` in memory, and dates the entries now; here both are renumbered in the order
    the schema names them, and the entries dated 1980-01-01, so the same model gives the same
    bytes."""
    import skops.io as sio

    source = zipfile.ZipFile(io.BytesIO(sio.dumps(model)))
    schema = source.read("schema.json").decode("utf-8")
    arrays = sorted(
        (name for name in source.namelist() if name != "schema.json"),
        key=lambda name: schema.index(f'"{name}"'),
    )
    renamed = {name: f"array-{index:04d}.npy" for index, name in enumerate(arrays)}
    for old, new in renamed.items():
        schema = schema.replace(f'"{old}"', f'"{new}"')
    numbers: dict[str, str] = {}
    schema = re.sub(
        r'"__id__": (\d+)',
        lambda found: f'"__id__": {numbers.setdefault(found[1], str(len(numbers) + 1))}',
        schema,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        _add(target, "schema.json", schema.encode("utf-8"))
        for old, new in renamed.items():
            _add(target, new, source.read(old))
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def onnx_bytes(model: Pipeline) -> bytes:
    """The ONNX export: one input per feature (named as the column), outputs `label` and
    `probabilities` (a plain tensor, not a list of maps)."""
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    inputs = [
        ("years_experience", FloatTensorType([None, 1])),
        ("education", StringTensorType([None, 1])),
        ("race_ethnicity", StringTensorType([None, 1])),
    ]
    exported = to_onnx(
        model,
        initial_types=inputs,
        options={LogisticRegression: {"zipmap": False}},
        target_opset=17,
    )
    exported.producer_version = ""  # the converter's version would change the bytes
    # skl2onnx lists the opsets in set order, which varies with Python's hash seed
    opsets = sorted(exported.opset_import, key=lambda opset: opset.domain)
    del exported.opset_import[:]
    exported.opset_import.extend(opsets)
    return bytes(exported.SerializeToString())


def write(folder: Path = HERE / "model", data: Path = DATA) -> tuple[Path, Path]:
    np.random.seed(0)
    model = train(data)
    folder.mkdir(parents=True, exist_ok=True)
    skops_file, onnx_file = folder / "hiring-screen.skops", folder / "hiring-screen.onnx"
    skops_file.write_bytes(skops_bytes(model))
    onnx_file.write_bytes(onnx_bytes(model))
    return skops_file, onnx_file


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "model"
    for path in write(target):
        print(f"wrote {path}")
