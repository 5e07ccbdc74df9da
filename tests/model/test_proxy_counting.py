"""How the proxy table's counts are taken: quantile edges from counts per value equal to
DuckDB's `quantile_disc`, exact numbers of values, contingency tables streamed in bounded
batches and equal whatever the batch size, texts translated back from their hashes (counted as
texts when two share one), and NMI independent of the order the cells arrive in."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd

from governance.checks.model.mutual_information import normalized_mutual_information
from governance.checks.model.spec import Normalization
from governance.data import contingency, feature_shapes
from governance.data.contingency import CountedFeature
from governance.data.engine import FeatureColumn, ProxyRequest, quantile_ranks
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def _store(frame: pd.DataFrame) -> DatasetStore:
    return DatasetStore({"d": DatasetSpec()}, {"d": frame})


def _frame(rows: int = 5_000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    ties = rng.integers(0, 40, rows).astype(float)
    ties[rng.choice(rows, 300, replace=False)] = np.nan
    ties[rng.choice(rows, 20, replace=False)] = np.inf
    ties[rng.choice(rows, 20, replace=False)] = -np.inf
    return pd.DataFrame(
        {
            "ties": ties,
            "counts": rng.integers(-1000, 1000, rows),
            "spread": rng.normal(0, 1, rows),
            "few": rng.integers(0, 4, rows),
            "sex": rng.choice(["F", "M", None], rows),
            "race": rng.choice(["A", "B", "C"], rows),
        }
    )


def _shapes(store: DatasetStore, numeric, bins: int = 10, texts=(), max_categories=1000):
    types = store.column_types("d")
    features = tuple(FeatureColumn(c, types[c], True) for c in numeric)
    features += tuple(FeatureColumn(c, types[c], False) for c in texts)
    return store.proxy_counts("d", ProxyRequest(features, ("race",), bins, max_categories))


def contingency_counts(store, name, features, groups, batch_rows=contingency.BATCH_ROWS):
    """The counting pass alone, with the shape pass's value lists."""
    types = store.column_types(name)
    columns = {f.column for f in features if not f.edges} | set(groups)
    texts = sorted(c for c in columns if types[c] == "VARCHAR")
    lists = feature_shapes.value_lists(store, name, dict.fromkeys(texts))
    hashed = {c: v.by_hash for c, v in lists.items() if v.by_hash is not None}
    return contingency.contingency_counts(store, name, features, groups, hashed, batch_rows)


def test_quantile_edges_equal_duckdbs_quantile_disc():
    frame = _frame()
    store = _store(frame)
    numeric = ("ties", "counts", "spread", "few")
    shapes = _shapes(store, numeric)
    levels = [i / 10 for i in range(1, 10)]
    for column in numeric:
        (expected,) = store.query(
            "d",
            lambda t, c=column: (
                f'SELECT quantile_disc("{c}", {levels}) FILTER (WHERE isfinite("{c}")), '
                f'count(DISTINCT "{c}") FROM {t}'
            ),
        )
        distinct = int(expected[1])
        assert shapes[column].distinct == distinct, column
        edges = tuple(sorted({float(e) for e in expected[0]})) if distinct > 10 else ()
        assert shapes[column].edges == edges, column
    assert shapes["few"].edges == ()  # 4 values: grouped by value


def _expected_tables(frame: pd.DataFrame, features, edges, groups) -> dict:
    """Every pair's table counted by pandas on the raw values (bins by numpy)."""
    tables = {}
    for column in features:
        values = frame[column]
        if column in edges:
            numbers = values.to_numpy(dtype=float)
            bins = np.searchsorted(np.array(edges[column]), numbers, side="left")
            values = pd.Series(
                [int(b) if np.isfinite(v) else None for b, v in zip(bins, numbers, strict=True)],
                dtype=object,
            )
        for group in groups:
            cells: dict = {}
            for value, group_value in zip(values, frame[group], strict=True):
                key = (_or_none(value), _or_none(group_value))
                cells[key] = cells.get(key, 0) + 1
            tables[column, group] = cells
    return tables


def _or_none(value):
    """A value, None where missing (NULL, or NaN: pandas' missing text)."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _comparable(tables: dict) -> dict:
    """NaN feature values (one object per batch) merged into None, as the proxy check does."""
    out = {}
    for pair, cells in tables.items():
        merged: dict = {}
        for (value, group), count in cells.items():
            key = (_or_none(value), group)
            merged[key] = merged.get(key, 0) + count
        out[pair] = merged
    return out


def test_contingency_counts_do_not_depend_on_the_batch_size(monkeypatch):
    frame = _frame(rows=3_001)
    store = _store(frame)
    numeric = ("ties", "counts", "spread")
    shapes = _shapes(store, numeric)
    features = (
        *(CountedFeature(c, shapes[c].edges) for c in numeric),
        CountedFeature("few"),
        CountedFeature("sex"),
    )
    groups = ("sex", "race")
    expected = _expected_tables(
        frame, [f.column for f in features], {c: shapes[c].edges for c in numeric}, groups
    )
    # One batch, batches ending mid-way through the rows, a batch of one row: the same counts.
    for batch_rows in (1_000_000, 1_000, 7, 1):
        counted = contingency_counts(store, "d", features, groups, batch_rows=batch_rows)
        assert _comparable(counted) == expected, batch_rows
    # Texts as windows of their hashes' bits (few values), or as the hashes themselves: the
    # same.
    assert contingency._by_residue({h: h for h in range(20)}) is not None
    monkeypatch.setattr(contingency, "_MAX_BITS", 0)
    assert contingency._by_residue({h: h for h in range(20)}) is None
    for batch_rows in (1_000_000, 7):
        counted = contingency_counts(store, "d", features, groups, batch_rows=batch_rows)
        assert _comparable(counted) == expected, batch_rows


def test_contingency_counts_hold_one_batch_at_a_time(monkeypatch):
    frame = _frame(rows=5_000)
    store = _store(frame)
    seen: list[int] = []
    count_batch = contingency._count_batch

    def recording(batch, *arguments):
        seen.append(batch.num_rows)
        count_batch(batch, *arguments)

    monkeypatch.setattr(contingency, "_count_batch", recording)
    counted = contingency_counts(store, "d", (CountedFeature("few"),), ("race",), batch_rows=1_024)
    assert max(seen) <= 1_024
    assert sum(seen) == 5_000 and len(seen) >= 5
    assert sum(counted["few", "race"].values()) == 5_000


def test_many_combinations_of_groups_are_counted_pair_by_pair(monkeypatch):
    # Past the joint-cell bound, each group column is counted apart: the same tables.
    frame = _frame(rows=2_000)
    store = _store(frame)
    features = (CountedFeature("few"), CountedFeature("sex"))
    joint = contingency_counts(store, "d", features, ("sex", "race"))
    monkeypatch.setattr(contingency, "_JOINT_CELLS", 1)
    apart = contingency_counts(store, "d", features, ("sex", "race"))
    assert apart == joint


def test_nmi_does_not_depend_on_the_order_of_the_cells():
    # A table whose sums, taken in the order the cells came, differed in the last digit.
    rng = random.Random(3)
    for _ in range(8):
        cells = {
            (f"x{rng.randint(0, 9)}", f"s{rng.randint(0, 4)}"): rng.randint(1, 10**6)
            for _ in range(40)
        }
    reordered = dict(reversed(list(cells.items())))
    for normalization in Normalization:
        assert normalized_mutual_information(cells, normalization) == normalized_mutual_information(
            reordered, normalization
        )


def test_categorical_columns_count_as_their_text():
    # A pandas categorical reaches DuckDB as an ENUM and Arrow as a dictionary: same tables.
    frame = _frame(rows=1_000)[["few", "sex", "race"]].astype({"few": str})
    categorical = frame.astype({"few": "category", "race": "category", "sex": "category"})
    features = (CountedFeature("few"), CountedFeature("race"))
    as_text = contingency_counts(_store(frame), "d", features, ("sex", "race"), batch_rows=300)
    as_enum = contingency_counts(_store(categorical), "d", features, ("sex", "race"))
    assert _comparable(as_enum) == _comparable(as_text)
    assert sum(as_enum["few", "sex"].values()) == 1_000


def test_texts_sharing_a_hash_are_counted_by_their_text(monkeypatch):
    # Texts go out of DuckDB as hashes, translated back at the end. With `length` standing in
    # for the hash, "F" and "M" (and "A", "B", "C") collide and are counted by their text,
    # while "a", "bb", "ccc" do not and are translated back: the tables stay exact.
    frame = _frame(rows=2_000)
    frame["word"] = np.random.default_rng(5).choice(["a", "bb", "ccc", None], len(frame))
    features = (CountedFeature("word"), CountedFeature("sex"), CountedFeature("few"))
    groups = ("race", "word")
    expected = _expected_tables(frame, [f.column for f in features], {}, groups)
    assert _comparable(contingency_counts(_store(frame), "d", features, groups)) == expected
    monkeypatch.setattr(feature_shapes, "HASH", "length")
    monkeypatch.setattr(contingency, "HASH", "length")
    lists = feature_shapes.value_lists(_store(frame), "d", dict.fromkeys(("word", "sex", "race")))
    hashed = {c: v.by_hash for c, v in lists.items() if v.by_hash is not None}
    assert set(hashed) == {"word"}
    assert sorted(hashed["word"].values(), key=str) == [None, "a", "bb", "ccc"]
    assert {c: v.distinct for c, v in lists.items()} == {"word": 3, "sex": 2, "race": 3}
    counted = contingency_counts(_store(frame), "d", features, groups, batch_rows=333)
    assert _comparable(counted) == expected


def test_quantile_ranks_take_the_product_in_double_precision_as_duckdb_and_numpy():
    # Of 77 values, the level 9/11 is rank 64 in double precision (63 in exact arithmetic):
    # every engine's edges are DuckDB's `quantile_disc` and numpy's `inverted_cdf`.
    assert quantile_ranks(77, 11)[8] == 64
    values = np.arange(1, 78, dtype=float)
    frame = pd.DataFrame({"level": values, "race": ["A", "B"] * 38 + ["A"]})
    (counts,) = _shapes(_store(frame), ("level",), bins=11).values()
    levels = [i / 11 for i in range(1, 11)]
    assert counts.edges == tuple(np.quantile(values, levels, method="inverted_cdf"))
    assert counts.edges[8] == 64.0


def test_text_features_are_counted_up_to_max_categories_by_their_exact_number_of_values():
    # NULL is no value, a blank text is one: "few" holds 4 values ("0", "1", "2", " ").
    frame = _frame(rows=2_000)[["few", "race"]].astype({"few": object})
    frame["few"] = frame["few"].map({0: "0", 1: "1", 2: "2", 3: " "})
    frame.loc[::7, "few"] = None
    store = _store(frame)
    at_limit = _shapes(store, (), texts=("few",), max_categories=4)["few"]
    above = _shapes(store, (), texts=("few",), max_categories=3)["few"]
    assert (at_limit.distinct, above.distinct) == (4, 4)
    assert at_limit.counted and not above.counted and above.tables is None
    assert sum(at_limit.tables["race"].values()) == 2_000  # type: ignore[index]
    assert at_limit.tables["race"][None, "A"] > 0  # type: ignore[index]


def test_an_edge_at_zero_is_positive_zero_whichever_zero_the_data_holds_first():
    # A group-by keeps whichever of -0.0 and 0.0 it meets first: the edge must not depend on it.
    values = np.array([-0.0] * 60 + [0.0] * 60 + list(range(1, 121)), dtype=float)
    shapes = _shapes(_store(pd.DataFrame({"x": values, "race": ["A", "B"] * 120})), ("x",), bins=4)
    edges = shapes["x"].edges
    assert 0.0 in edges
    assert all(math.copysign(1.0, edge) == 1.0 for edge in edges)
