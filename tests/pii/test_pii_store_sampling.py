"""The data store's distinct samples: both strategies pick the same values, deterministically."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from governance.data import store as store_module
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def _store(frame: pd.DataFrame) -> DatasetStore:
    return DatasetStore({"d": DatasetSpec()}, {"d": frame})


def test_hashed_and_unpivoted_samples_agree_and_are_deterministic() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "many": rng.integers(0, 10**9, 12_000).astype(str),
            "few": rng.integers(0, 40, 12_000).astype(str),  # heavy duplicates
            "nulls": [None] * 11_999 + ["x"],
        }
    )
    store = _store(frame)
    profiles = store.profile_columns("d", ("many", "few", "nulls"), 4096)
    assert profiles["nulls"].non_null == 1
    ordered = tuple(profiles.values())
    hashed = store._hashed_samples("d", ordered, 500, 7, 4096)
    unpivoted = store._unpivoted_samples("d", ordered, 500, 7, 4096)
    for column in ("many", "few", "nulls"):
        assert hashed[column].values == unpivoted[column].values
        assert hashed[column].complete == unpivoted[column].complete
    assert len(hashed["many"].values) == 500 and not hashed["many"].complete
    assert hashed["few"].complete and hashed["few"].distinct == 40
    again = store.distinct_samples("d", ordered, 500, 7, 4096)
    assert again["many"] == hashed["many"]
    other_seed = store.distinct_samples("d", ordered, 500, 8, 4096)
    assert other_seed["many"].values != hashed["many"].values
    store.close()


def test_sample_does_not_depend_on_row_order() -> None:
    values = [f"value {i}" for i in range(3000)]
    first = _store(pd.DataFrame({"v": values}))
    second = _store(pd.DataFrame({"v": list(reversed(values))}))
    a = first.distinct_samples(
        "d", tuple(first.profile_columns("d", ("v",), 99).values()), 100, 1, 99
    )
    b = second.distinct_samples(
        "d", tuple(second.profile_columns("d", ("v",), 99).values()), 100, 1, 99
    )
    assert a == b


def test_a_column_whose_estimate_was_too_high_is_sampled_again_alone() -> None:
    """A threshold that leaves too few values is raised for that column only (the others of
    its statement keep their sample), and the result is the same as without thresholds."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({c: rng.integers(0, 10**9, 12_000).astype(str) for c in "abc"})
    store = _store(frame)
    profiles = store.profile_columns("d", ("a", "b", "c"), 4096)
    misled = (profiles["a"], replace(profiles["b"], distinct_estimate=10**9), profiles["c"])
    hashed = store._hashed_samples("d", misled, 300, 11, 4096)
    unpivoted = store._unpivoted_samples("d", misled, 300, 11, 4096)
    for column in "abc":
        assert len(hashed[column].values) == 300 and not hashed[column].complete
        assert hashed[column].values == unpivoted[column].values
    store.close()


def test_columns_sampled_in_several_statements_get_the_same_samples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({c: rng.integers(0, 10**6, 12_000).astype(str) for c in "abcde"})
    store = _store(frame)
    profiles = tuple(store.profile_columns("d", tuple("abcde"), 4096).values())
    together = store._hashed_samples("d", profiles, 200, 3, 4096)
    monkeypatch.setattr(store_module, "_SAMPLED_COLUMNS_PER_QUERY", 2)
    in_chunks = store._hashed_samples("d", profiles, 200, 3, 4096)
    assert in_chunks == together
    unpivoted = store._unpivoted_samples("d", profiles, 200, 3, 4096)
    assert {c: s.values for c, s in in_chunks.items()} == {
        c: s.values for c, s in unpivoted.items()
    }
    store.close()


def test_profiles_and_samples_are_read_once_per_audit_whatever_the_rules() -> None:
    """Every PII rule asks for the same profiles and samples; on a 5,000-column file each
    asking cost seconds. Asked again, the store answers without reading the data (here it has
    been dropped), and a column not asked before is read then."""
    store = _store(pd.DataFrame({"a": ["x", "y"] * 50, "b": ["u", "v"] * 50}))
    profiles = store.profile_columns("d", ("a",), 99)
    samples = store.distinct_samples("d", tuple(profiles.values()), 10, 1, 99)
    table = store._table_name("d")
    store.connection.execute(f'CREATE TABLE saved AS SELECT * FROM "{table}"')
    store.connection.execute(f'DROP VIEW IF EXISTS "{table}"')
    assert store.profile_columns("d", ("a",), 99) == profiles
    assert store.distinct_samples("d", tuple(profiles.values()), 10, 1, 99) == samples
    store.connection.execute(f'CREATE VIEW "{table}" AS SELECT * FROM saved')
    both = store.profile_columns("d", ("a", "b"), 99)
    assert both["b"].non_null == 100 and both["a"] == profiles["a"]
    store.close()
