"""How the proxy table's counts are taken: quantile edges from counts per value equal to
DuckDB's `quantile_disc`, contingency tables streamed in bounded batches and equal whatever the
batch size, texts translated back from their hashes (counted as texts when two share one), and
NMI independent of the order the cells arrive in."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from governance.checks.model.mutual_information import normalized_mutual_information
from governance.checks.model.spec import Normalization
from governance.data import contingency
from governance.data.contingency import contingency_counts
from governance.data.engine import CountedFeature, FeatureColumn
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


def test_quantile_edges_equal_duckdbs_quantile_disc():
    frame = _frame()
    store = _store(frame)
    numeric = ("ties", "counts", "spread", "few")
    types = store.column_types("d")
    shapes = store.feature_shapes(
        "d", tuple(FeatureColumn(c, types[c], True) for c in numeric), bins=10
    )
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


def test_contingency_counts_do_not_depend_on_the_batch_size():
    frame = _frame(rows=3_001)
    store = _store(frame)
    types = store.column_types("d")
    numeric = ("ties", "counts", "spread")
    shapes = store.feature_shapes(
        "d", tuple(FeatureColumn(c, types[c], True) for c in numeric), bins=10
    )
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
    monkeypatch.setattr(contingency, "_HASH", "length")
    hashed = contingency._text_values(_store(frame), "d", ("word", "sex", "race"))
    assert set(hashed) == {"word"}
    assert sorted(hashed["word"].values(), key=str) == [None, "a", "bb", "ccc"]
    counted = contingency_counts(_store(frame), "d", features, groups, batch_rows=333)
    assert _comparable(counted) == expected
