"""How the proxy table's counts are taken: quantile edges from counts per value equal to
DuckDB's `quantile_disc`, the sensitive values' hash mapped back (and recounted by value should
two combinations share one), and NMI independent of the order the cells arrive in."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from governance.checks.model import proxy_queries
from governance.checks.model.mutual_information import normalized_mutual_information
from governance.checks.model.proxy_queries import FeatureColumn, feature_shapes, pair_cells
from governance.checks.model.spec import Normalization
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
    shapes = feature_shapes(
        store, "d", tuple(FeatureColumn(c, types[c], True) for c in numeric), bins=10
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


def _cells(rows):
    return sorted((tuple(row[:-1]), row[-1]) for row in rows)


def test_counting_by_the_sensitive_values_hash_equals_counting_by_them(monkeypatch):
    frame = _frame()
    store = _store(frame)
    types = store.column_types("d")
    features = tuple(FeatureColumn(c, types[c], c != "sex") for c in ("few", "spread"))
    shapes = feature_shapes(store, "d", features, bins=10)
    sensitive = ("sex", "race")
    hashed = pair_cells(store, "d", features, shapes, sensitive, frozenset({"few", "spread"}))
    apart = pair_cells(store, "d", features, shapes, sensitive, frozenset())
    # Apart, each pair is its own set; together, one set per feature holds both sensitive
    # features: summed per pair they are the same table.
    assert _pair_tables(hashed, 2, 2) == _pair_tables(apart, 2, 2)
    # Should two combinations share one hash, the cells are counted by value instead.
    monkeypatch.setattr(proxy_queries, "_hashes_resolved", lambda *arguments: None)
    recounted = pair_cells(store, "d", features, shapes, sensitive, frozenset({"few", "spread"}))
    assert _pair_tables(recounted, 2, 2) == _pair_tables(apart, 2, 2)


def _pair_tables(rows, features: int, sensitive: int) -> dict:
    width = features + sensitive
    tables: dict = {}
    for row in rows:
        mask = int(row[0])
        grouped = [not mask & (1 << (width - 1 - i)) for i in range(width)]
        i = grouped.index(True)
        for j in range(sensitive):
            if grouped[features + j]:
                key = (i, j, row[1 + i], row[1 + features + j])
                tables[key] = tables.get(key, 0) + int(row[-1])
    return tables


def test_a_hash_shared_by_two_combinations_is_refused():
    # GROUPING() over (feature, s0, s1, g): the mapping set groups g, s0 and s1 (mask 0b1000).
    rows = [(0b1000, None, "F", "A", 42, 10), (0b1000, None, "M", "B", 42, 5)]
    assert proxy_queries._hashes_resolved(rows, 1, 2) is None
    rows = [(0b1000, None, "F", "A", 42, 10), (0b0110, 3, None, None, 42, 10)]
    assert proxy_queries._hashes_resolved(rows, 1, 2) == [(0b000, 3, "F", "A", 10)]


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
