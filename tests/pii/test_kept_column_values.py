"""The distinct values kept across PII rules stay within the memory the selector promises
(about 100 MB), however long the values and however many seeds the policy's rules use."""

from __future__ import annotations

import pandas as pd

from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def test_rules_with_their_own_seeds_keep_at_most_about_100_mb():
    # 500 distinct 100 KB values, each on 6 rows (grouped): 50 MB of text per kept copy, one
    # copy per seed; each was kept, as 500 values are far below 2,000,000.
    values = [f"user{i}@example.org " + "x" * 100_000 for i in range(500)] * 6
    store = DatasetStore({"d": DatasetSpec()}, {"d": pd.DataFrame({"c": values})})
    try:
        profile = store.profile_columns("d", ("c",), 1_000_000)["c"]
        for seed in range(3):
            store.candidate_values("d", profile, ("EMAIL_ADDRESS",), 50, seed, 1_000_000)
        ((kept,),) = store.connection.execute(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()"
        ).fetchall()
        assert kept <= 120_000_000
    finally:
        store.close()
