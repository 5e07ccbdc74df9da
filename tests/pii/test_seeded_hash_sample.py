"""The deterministic PII samples are defined by a hash any engine computes on the value's text
(`governance.data.engine.seeded_hash`: MD5 of "seed:value"), not by DuckDB's own `hash()`: the
DuckDB engine's samples and candidates equal the ones drawn from that definition in Python,
which is what another engine (Spark) must reproduce value for value."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from governance.data.engine import seeded_hash
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def _expected(values: list[str], size: int, seed: int) -> tuple[str, ...]:
    """The reference sample: the `size` distinct values of smallest seeded hash, ties by value."""
    ordered = sorted(set(values), key=lambda v: (seeded_hash(v, seed), v.encode()))
    return tuple(ordered[:size])


def test_the_hash_is_md5_of_seed_and_text_read_little_endian() -> None:
    digest = hashlib.md5("7:Zoë 🙂".encode()).digest()
    assert seeded_hash("Zoë 🙂", 7) == int.from_bytes(digest, "little")
    store = DatasetStore({"d": DatasetSpec()}, {"d": pd.DataFrame({"v": ["Zoë 🙂"]})})
    assert store.connection.execute("SELECT md5_number('7:' || 'Zoë 🙂')").fetchall() == [
        (seeded_hash("Zoë 🙂", 7),)
    ]


@pytest.mark.parametrize("rows", [3_000, 12_000], ids=["short table", "long table"])
def test_distinct_samples_are_the_smallest_seeded_hashes(rows: int) -> None:
    rng = np.random.default_rng(rows)
    values = [f"näme {n}" for n in rng.integers(0, 10**7, rows)]
    frame = pd.DataFrame({"v": values, "few": [f"c{n % 30}" for n in range(rows)]})
    store = DatasetStore({"d": DatasetSpec()}, {"d": frame})
    profiles = tuple(store.profile_columns("d", ("v", "few"), 4096).values())
    samples = store.distinct_samples("d", profiles, 200, 41, 4096)
    assert samples["v"].values == _expected(values, 200, 41)
    assert not samples["v"].complete
    few = [f"c{n % 30}" for n in range(rows)]
    assert samples["few"].values == _expected(few, 200, 41)  # complete: hash order too
    assert samples["few"].complete and samples["few"].distinct == 30
    store.close()


def test_a_candidate_sample_is_the_smallest_seeded_hashes_of_the_candidates() -> None:
    emails = [f"person{i}@example.org" for i in range(3_000)]
    frame = pd.DataFrame({"contact": [*emails, *(["no contact"] * 1_000)]})
    store = DatasetStore({"d": DatasetSpec()}, {"d": frame})
    profile = store.profile_columns("d", ("contact",), 4096)["contact"]
    found = store.candidate_values("d", profile, ("EMAIL_ADDRESS",), 100, 5, 4096)
    assert not found.complete
    assert found.values == _expected(emails, 100, 5)
    store.close()
