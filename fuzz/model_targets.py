"""Targets over model artifacts, which a pull request may replace: the example's skops model
with its schema edited (a type, a value, a reference or an array changed, a member dropped) or
its bytes edited, and its ONNX export with its bytes edited. Each is loaded as the audit loads
`model.artifact` and, when it loads, scores a batch of the example's rows as the audit does.
What may come out: the artifact refused (`InvalidModel`, exit 2) or the model failing as it
scores (`ModelFailed`, its rules errored)."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from hypothesis import strategies as st

from fuzz.mutation import apply_edits, edits
from fuzz.workspace import seed
from governance.manifest import FromModel
from governance.model.formats import ModelFormat
from governance.model.loading import LoadedModel
from governance.model.predictor import InvalidModel, Predictor
from governance.model.scoring import ModelFailed, _output_rows, _predict

_ROWS = 64
"""Rows of the example scored by each artifact that loads."""


@functools.cache
def _example_rows() -> pa.Table:
    data = seed("data", "applicants.csv")
    return pacsv.read_csv(io.BytesIO(data)).slice(0, _ROWS)


def _score(load: Callable[[bytes], Predictor], found: ModelFormat, content: bytes) -> None:
    try:
        predictor = load(content)
    except InvalidModel:
        return
    rows = _example_rows()
    features = predictor.feature_names
    if features is None or not set(features) <= set(rows.column_names):
        return  # the audit refuses it at `model.features` or at the dataset's `from_model`
    model = LoadedModel(
        path=Path("model"),
        display_path="model",
        format=found,
        sha256="0" * 64,
        size=len(content),
        features=features,
        features_declared=False,
        predictor=predictor,
    )
    for batch in rows.select(list(features)).to_batches(max_chunksize=_ROWS // 2):
        try:
            output = _predict(model, batch, 1)
            _output_rows(output, batch.num_rows, FromModel(), model)
        except ModelFailed:
            return


# skops: the schema is a tree of nodes ({"__class__", "__module__", "__loader__", "content"});
# an edit picks one node by its position in a walk of the tree.

_SCHEMA_EDITS = (
    "class",  # another class name, trusted or not
    "module",
    "loader",
    "content",  # another value: text, number, list, object, nothing
    "drop-key",  # a key of an object node's content removed
    "id",  # a reference to another node
    "array",  # an array member's bytes edited
)
_REPLACEMENTS: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            0,
            -1,
            2**63,
            1e308,
            [],
            {},
            "os.system",
            "builtins.eval",
            "numpy.ndarray",
            "sklearn.linear_model._logistic.LogisticRegression",
            "ObjectNode",
            "ListNode",
            "JsonNode",
            "NdArrayNode",
            "array-0000.npy",
            "../array-0000.npy",
            '"x"',
            "[1, 2, 3]",
        ]
    ),
    st.text(max_size=12),
    st.integers(),
)
_SchemaEdit = tuple[str, int, Any]


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    if isinstance(tree, dict):
        if "__class__" in tree:
            yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _nodes(item)


def _edited_skops(changes: list[_SchemaEdit], byte_edits: list[Any]) -> bytes:
    original = zipfile.ZipFile(io.BytesIO(seed("model", "hiring-screen.skops")))
    members = {name: original.read(name) for name in original.namelist()}
    schema = json.loads(members["schema.json"])
    for operation, position, value in changes:
        nodes = list(_nodes(schema))
        node = nodes[position % len(nodes)]
        if operation in ("class", "module", "loader"):
            node[f"__{operation}__"] = value
        elif operation == "content":
            node["content"] = value
        elif operation == "drop-key" and isinstance(node.get("content"), dict) and node["content"]:
            keys = sorted(node["content"])
            del node["content"][keys[position % len(keys)]]
        elif operation == "id":
            node["__id__"] = value
        elif operation == "array":
            arrays = sorted(name for name in members if name.endswith(".npy"))
            name = arrays[position % len(arrays)]
            members[name] = apply_edits(members[name], byte_edits)
    members["schema.json"] = json.dumps(schema).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def skops_files() -> st.SearchStrategy[bytes]:
    schema_edit = st.tuples(st.sampled_from(_SCHEMA_EDITS), st.integers(0, 2**16), _REPLACEMENTS)
    structured = st.builds(_edited_skops, st.lists(schema_edit, min_size=1, max_size=3), edits())
    raw = st.builds(apply_edits, st.just(seed("model", "hiring-screen.skops")), edits())
    return st.one_of(structured, structured, raw)


def onnx_files() -> st.SearchStrategy[bytes]:
    return st.builds(apply_edits, st.just(seed("model", "hiring-screen.onnx")), edits())


def _load_skops(content: bytes) -> Predictor:
    from governance.model.skops_model import load_skops

    return load_skops(content, ())


def _load_onnx(content: bytes) -> Predictor:
    from governance.model.onnx_model import load_onnx

    return load_onnx(content, None)


def score_skops(content: bytes) -> None:
    _score(_load_skops, ModelFormat.SKOPS, content)


def score_onnx(content: bytes) -> None:
    _score(_load_onnx, ModelFormat.ONNX, content)
