"""DuckDB's counting pass of `DataEngine.proxy_counts`: for each (feature, group column) pair,
how many rows hold each (feature value or bin, group value).

The columns are projected from the file and streamed out in Arrow record batches of at most
`batch_rows` rows: memory holds one batch, whatever the row count. A text column whose values'
hashes (from the shape pass, `feature_shapes.value_lists`) have distinct residues modulo some
small m goes out as `hash(v) % m` (16 bits, the same code in every batch); another text column
goes out as its 64-bit `hash()`, encoded per batch and translated back at the end through its
value list (a column two of whose values share a hash goes out as text); a binned feature goes
out as DOUBLE and is binned here against its few edges. The group columns' codes are combined
into one code per row, and each feature's table counted by `numpy.bincount` over `group code *
feature codes + feature code`: a few array passes per feature, where a SQL group-by probes a
hash table per row per feature. Only the cells (values x groups) reach Python; the counts are
exact and do not depend on the batch size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.data.engine import Cells, Value
from governance.data.feature_shapes import HASH
from governance.data.store import quote_identifier

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from governance.data.store import DatasetStore

BATCH_ROWS = 262_144
"""Rows per streamed batch: one batch of the counted columns (and their codes) is what memory
holds. On 1M rows, batches of 131,072 to 1,000,000 rows took the same time within the noise of
a shared machine."""

_JOINT_CELLS = 1 << 22
"""Up to this many cells (feature codes x combinations of group codes in a batch), a feature is
counted with every group column at once; above, with each group column apart."""


@dataclass(frozen=True)
class CountedFeature:
    """A feature counted by its raw values or, given `edges` (ascending), by bin number: the
    index of the first edge the value (cast to DOUBLE) does not exceed, `len(edges)` past the
    last, None where the value is missing."""

    column: str
    edges: tuple[float, ...] = ()


def contingency_counts(
    store: DatasetStore,
    name: str,
    features: Sequence[CountedFeature],
    groups: Sequence[str],
    hashed_values: Mapping[str, Mapping[int, Value]],
    batch_rows: int = BATCH_ROWS,
) -> dict[tuple[str, str], Cells]:
    """The table of every (feature, group column) pair over the dataset's rows, keyed by the
    feature's value (raw, or its bin number) and the group column's raw value (None for
    NULL). A column of `hashed_values` (its every value by DuckDB's hash) is streamed as its
    hashes. Raw values are as the engine returns them: deciding which are missing or unknown
    is the caller's."""
    if not features or not groups:
        return {}
    counted = {*(f.column for f in features if not f.edges), *groups}
    residues: dict[str, list[Value]] = {}
    values: dict[str, Mapping[int, Value]] = {}
    for column in sorted(counted & set(hashed_values)):
        by_residue = _by_residue(hashed_values[column])
        if by_residue is None:
            values[column] = hashed_values[column]
        else:
            residues[column] = by_residue
    coding = _Coding(frozenset(values), residues)
    tables = _counted_tables(store, name, tuple(features), tuple(groups), coding, batch_rows)
    if not values:
        return tables
    translated: dict[tuple[str, str], Cells] = {}
    for (feature, group), cells in tables.items():
        of_feature, of_group = values.get(feature), values.get(group)
        translated[feature, group] = {
            (
                of_feature[value] if of_feature is not None else value,
                of_group[group_value] if of_group is not None else group_value,
            ): count
            for (value, group_value), count in cells.items()
        }
    return translated


@dataclass(frozen=True)
class _Coding:
    """How text columns leave DuckDB: as their 64-bit hashes (`hashed`), or as their hashes'
    residues modulo a number at which no two of the column's values share one (`residues`:
    each column's values by residue, None where no value has it). A residue is the same code in
    every batch: no encoding on this side, no translation at the end."""

    hashed: frozenset[str]
    residues: Mapping[str, list[Value]]


_MODULUS_TRIES = 256
"""Moduli tried from the number of values up: only near it, as every array the counting pass
adds up has (feature modulus x group modulus) cells; a modulus near the square of the number
of values would make a 100-value feature against a 100-value group 10^8 cells (800 MB)."""

_MAX_MODULUS = 1 << 16
"""Residues go out as 16-bit integers."""


def _by_residue(by_hash: Mapping[int, Value]) -> list[Value] | None:
    """A column's values by residue of their hashes, modulo the smallest number tried at which
    no two values share a residue; None when none is found (many values)."""
    import numpy as np

    if None in by_hash:
        return None
    digests = np.fromiter(by_hash, dtype=np.uint64, count=len(by_hash))
    count = len(digests)
    start = max(count, 1)
    for modulus in range(start, min(start + _MODULUS_TRIES, _MAX_MODULUS + 1)):
        if len(np.unique(digests % np.uint64(modulus))) == count:
            values: list[Value] = [None] * modulus
            for digest, value in by_hash.items():
                values[digest % modulus] = value
            return values
    return None


def _counted_tables(
    store: DatasetStore,
    name: str,
    features: tuple[CountedFeature, ...],
    groups: tuple[str, ...],
    coding: _Coding,
    batch_rows: int,
) -> dict[tuple[str, str], Cells]:
    select = [f"{_counted(feature, coding)} AS f{i}" for i, feature in enumerate(features)]
    select.extend(f"{_raw(c, coding)} AS g{j}" for j, c in enumerate(groups))
    tables = _Tables(features, groups)
    store.each_record_batch(
        name,
        lambda table: f"SELECT {', '.join(select)} FROM {table}",
        (),
        batch_rows,
        lambda batch: _count_batch(batch, features, groups, coding.residues, tables),
    )
    return tables.finish()


class _Tables:
    """Every pair's cells. A table whose codes mean the same in every batch (bins and residues,
    on both sides) is summed as an array and turned into cells once, at the end; any other is
    turned into cells batch by batch."""

    def __init__(self, features: tuple[CountedFeature, ...], groups: tuple[str, ...]):
        self._cells: dict[tuple[str, str], Cells] = {
            (feature.column, group): {} for feature in features for group in groups
        }
        self._features = features
        self._groups = groups
        self._held: dict[tuple[int, int | None], _Counts] = {}

    def add(self, key: tuple[int, int | None], counts: _Counts, stable: bool) -> None:
        """Add one batch's counts of feature `key[0]` against group `key[1]` (None: every
        group at once)."""
        held = self._held.get(key)
        if not stable:
            self._spread(key, counts)
        elif held is None:
            self._held[key] = counts
        else:
            held.counts += counts.counts

    def finish(self) -> dict[tuple[str, str], Cells]:
        for key, counts in self._held.items():
            self._spread(key, counts)
        self._held.clear()
        return self._cells

    def _spread(self, key: tuple[int, int | None], counts: _Counts) -> None:
        index, group = key
        column = self._features[index].column
        joint = counts.counts.reshape((*(len(v) for v in counts.group_values), len(counts.values)))
        axes = range(len(counts.group_values))
        for j, group_values in enumerate(counts.group_values):
            others = tuple(axis for axis in axes if axis != j)
            table = joint.sum(axis=others) if others else joint
            name = self._groups[j if group is None else group]
            _add(self._cells[column, name], table, counts.values, group_values)


@dataclass
class _Counts:
    """Rows counted per (group codes..., feature code), flat, with the value of each code."""

    counts: np.ndarray
    values: list[Any]
    group_values: tuple[list[Any], ...]


def _raw(column: str, coding: _Coding) -> str:
    quoted = quote_identifier(column)
    if column in coding.residues:
        return f"CAST({HASH}({quoted}) % {len(coding.residues[column])} AS USMALLINT)"
    return f"{HASH}({quoted})" if column in coding.hashed else quoted


def _counted(feature: CountedFeature, coding: _Coding) -> str:
    """The SQL of a feature's counted value: the raw column (a text one's hash), or a binned
    one's value as DOUBLE (binned here: comparing with a few edges is cheaper in numpy than a
    CASE per row in SQL)."""
    if not feature.edges:
        return _raw(feature.column, coding)
    return f"CAST({quote_identifier(feature.column)} AS DOUBLE)"


def _count_batch(
    batch: pa.RecordBatch,
    features: tuple[CountedFeature, ...],
    groups: tuple[str, ...],
    residues: Mapping[str, list[Value]],
    tables: _Tables,
) -> None:
    """Add one batch's rows to every pair's table."""
    import numpy as np

    coded_groups = [
        _codes(batch.column(len(features) + j), residues.get(group))
        for j, group in enumerate(groups)
    ]
    sizes = tuple(len(values) for _, values in coded_groups)
    stable_groups = [group in residues for group in groups]
    combinations = math.prod(sizes)  # exact: many wide group columns fall back to pairs
    combined = np.zeros(batch.num_rows, dtype=np.int64)
    if combinations <= _JOINT_CELLS:
        for codes, values in coded_groups:
            combined *= len(values)
            combined += codes
    for index, feature in enumerate(features):
        codes, values = _feature_codes(batch.column(index), feature, residues.get(feature.column))
        width = len(values)
        stable = bool(feature.edges) or feature.column in residues
        if combinations * width <= _JOINT_CELLS:
            counts = np.bincount(combined * width + codes, minlength=combinations * width)
            every = tuple(known for _, known in coded_groups)
            tables.add((index, None), _Counts(counts, values, every), stable and all(stable_groups))
            continue
        for j, (group_codes, group_values) in enumerate(coded_groups):
            counts = np.bincount(group_codes * width + codes, minlength=len(group_values) * width)
            tables.add(
                (index, j), _Counts(counts, values, (group_values,)), stable and stable_groups[j]
            )


def _add(cells: Cells, table: np.ndarray, values: list[Any], group_values: list[Any]) -> None:
    """Add a (group code x feature code) table of counts to `cells`, keyed by the values."""
    import numpy as np

    for group_code, code in zip(*np.nonzero(table), strict=True):
        key = (values[code], group_values[group_code])
        cells[key] = cells.get(key, 0) + int(table[group_code, code])


def _feature_codes(
    column: pa.Array, feature: CountedFeature, by_residue: list[Value] | None
) -> tuple[np.ndarray, list[Any]]:
    """A feature's codes: a binned one's bin numbers (the number of edges below its value, as
    the first edge it does not exceed; missing, i.e. NULL, NaN or infinite: one past the last
    bin), a raw one's values dictionary-encoded (or its residues)."""
    import numpy as np

    if not feature.edges:
        return _codes(column, by_residue)
    value = column.to_numpy(zero_copy_only=False)  # NULL as NaN
    # Summed in the narrowest integer type (bytes for up to 254 edges): 2.5x faster than int64.
    codes = np.zeros(len(value), dtype=np.min_scalar_type(len(feature.edges) + 1))
    for edge in feature.edges:
        codes += value > edge
    codes[~np.isfinite(value)] = len(feature.edges) + 1
    bins: list[Any] = list(range(len(feature.edges) + 1))
    return codes.astype(np.int64), [*bins, None]


def _codes(column: pa.Array, by_residue: list[Value] | None) -> tuple[np.ndarray, list[Any]]:
    """A column as integer codes (int64) and the value of each code (None for NULL; a residue
    no value has is never a code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if by_residue is not None:
        return column.to_numpy().astype("int64"), by_residue
    if pa.types.is_dictionary(column.type):  # an ENUM: codes already, NULL one more
        values = [*column.dictionary.to_pylist(), None]
        indices = pc.fill_null(column.indices, len(values) - 1)
    elif pa.types.is_integer(column.type) and not column.null_count:  # a text's hash
        import pandas as pd

        # pandas' hash table encodes 64-bit integers in half the time of Arrow's.
        codes, uniques = pd.factorize(column.to_numpy())
        return codes.astype("int64", copy=False), uniques.tolist()
    else:
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        values, indices = encoded.dictionary.to_pylist(), encoded.indices
    return indices.to_numpy(zero_copy_only=False).astype("int64"), values
