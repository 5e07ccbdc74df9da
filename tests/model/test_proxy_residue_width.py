"""The counting pass's arrays stay near the size of the table they count: a text column's
residue codes are only used where the modulus is close to its number of values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from governance.data.engine import FeatureColumn, ProxyRequest
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def test_hundred_value_texts_count_in_arrays_near_their_table(monkeypatch):
    # A text feature and a sensitive text column of 100 values each: 10,000 cells at most.
    # Residues modulo about 100**2 made each array 10,000 x 10,000 cells (800 MB of int64).
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "job": [f"job {i}" for i in rng.integers(0, 100, 2_000)],
            "country": [f"country {i}" for i in rng.integers(0, 100, 2_000)],
        }
    )
    store = DatasetStore({"d": DatasetSpec()}, {"d": frame})
    largest = []
    bincount = np.bincount

    def bounded(codes, minlength=0):
        largest.append(minlength)
        assert minlength <= 1_000_000, f"a {minlength:,}-cell array for a 10,000-cell table"
        return bincount(codes, minlength=minlength)

    monkeypatch.setattr(np, "bincount", bounded)
    types = store.column_types("d")
    request = ProxyRequest((FeatureColumn("job", types["job"], False),), ("country",), 10, 1000)
    table = store.proxy_counts("d", request)["job"].tables["country"]
    expected = frame.groupby(["job", "country"]).size().to_dict()
    assert table == expected
    assert largest


def test_text_codes_are_the_narrowest_window_of_hash_bits_that_tells_values_apart():
    # A text column goes out of DuckDB as `(hash(v) >> shift) & (width - 1)`: every value at
    # its own slot, the window a few slots wider than the values at most.
    from governance.data import contingency

    rng = np.random.default_rng(7)
    top = np.iinfo(np.uint64).max
    for count in (1, 2, 6, 8, 50):
        digests = rng.integers(0, top, count, dtype=np.uint64, endpoint=True)
        by_hash = {int(digest): f"value {i}" for i, digest in enumerate(digests)}
        found = contingency._by_residue(by_hash)
        assert found is not None, count
        shift, values = found
        width = len(values)
        assert width & (width - 1) == 0 and width <= count + 512, (count, width)
        assert {values[(digest >> shift) & (width - 1)] for digest in by_hash} == {
            *by_hash.values()
        }
        assert sum(value is not None for value in values) == count
    # Too many values for a 16-bit window: the hashes themselves go out.
    many = rng.integers(0, top, 100_000, dtype=np.uint64, endpoint=True)
    assert contingency._by_residue({int(digest): i for i, digest in enumerate(many)}) is None
