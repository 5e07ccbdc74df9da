"""Column names with braces reach the proxy table's SQL as names, never as format fields: a
data file's header is not the project's."""

from __future__ import annotations

import pandas as pd

from governance.data.engine import FeatureColumn, ProxyRequest
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def _counts(frame: pd.DataFrame, numeric: bool):
    store = DatasetStore({"d": DatasetSpec()}, {"d": frame})
    types = store.column_types("d")
    feature = FeatureColumn("{table}", types["{table}"], numeric)
    return store.proxy_counts("d", ProxyRequest((feature,), ("g",), 2, 1000))["{table}"]


def test_a_text_feature_named_with_braces_is_counted_from_its_own_column():
    # `{table}` became the dataset's table name ("dataset_0"), here another column's.
    frame = pd.DataFrame(
        {"{table}": ["x", "y", "x", "y"], "dataset_0": ["a", "a", "a", "a"], "g": list("mmff")}
    )
    counts = _counts(frame, numeric=False)
    assert counts.distinct == 2
    assert counts.tables == {"g": {("x", "m"): 1, ("y", "m"): 1, ("x", "f"): 1, ("y", "f"): 1}}


def test_a_numeric_feature_named_with_braces_is_counted_from_its_own_column():
    frame = pd.DataFrame(
        {"{table}": [1.0, 2.0, 3.0, 4.0], "dataset_0": [5.0] * 4, "g": list("mmff")}
    )
    assert _counts(frame, numeric=True).distinct == 4


def test_a_column_name_cannot_run_its_own_sql():
    # `{table[0]}` put a bare double quote in the statement: the rest of the name ran as SQL.
    from governance.data.feature_shapes import value_lists

    name = "content{table[0]} AS v FROM read_text('/etc/hostname') GROUP BY ALL) LIMIT ?) --"
    store = DatasetStore({"d": DatasetSpec()}, {"d": pd.DataFrame({name: ["a", "b"]})})
    listed = value_lists(store, "d", {name: 1000})[name]
    assert sorted((listed.by_hash or {}).values()) == ["a", "b"]


def test_a_policy_max_categories_beyond_bigint_is_no_limit():
    # The value list's LIMIT took max_categories + 1 as a BIGINT: 2**63 - 1 errored the check.
    frame = pd.DataFrame({"{table}": ["x", "y"], "g": ["m", "f"]})
    store = DatasetStore({"d": DatasetSpec()}, {"d": frame})
    types = store.column_types("d")
    feature = FeatureColumn("{table}", types["{table}"], False)
    request = ProxyRequest((feature,), ("g",), 10, 2**63 - 1)
    counts = store.proxy_counts("d", request)["{table}"]
    assert counts.tables == {"g": {("x", "m"): 1, ("y", "f"): 1}}
