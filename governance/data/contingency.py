"""DuckDB's counting pass of `DataEngine.proxy_counts`: for each (feature, group column) pair,
how many rows hold each (feature value or bin, group value).

The columns are projected from the file and streamed out in Arrow record batches of at most
`batch_rows` rows: memory holds one batch, whatever the row count. A text column whose values'
hashes (from the shape pass, `feature_shapes.value_lists`) differ in some narrow window of
their bits goes out as that window, `(hash(v) >> shift) & mask` (8 or 16 bits, the same code
in every batch); another text column goes out as its 64-bit `hash()`, encoded per batch and
translated back at the end through its value list (a column two of whose values share a hash
goes out as text); a binned feature goes out as DOUBLE and is binned here against its few
edges. The group columns' codes are combined
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
    shifts: dict[str, int] = {}
    values: dict[str, Mapping[int, Value]] = {}
    for column in sorted(counted & set(hashed_values)):
        by_residue = _by_residue(hashed_values[column])
        if by_residue is None:
            values[column] = hashed_values[column]
        else:
            shifts[column], residues[column] = by_residue
    coding = _Coding(frozenset(values), residues, shifts)
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
    """How text columns leave DuckDB: as their 64-bit hashes (`hashed`), or as a window of
    their hashes' bits in which no two of the column's values share one (`residues`: each
    column's values by the window's value, None where no value has it; `shifts`: the bits
    below the window). A residue is the same code in every batch: no encoding on this side,
    no translation at the end."""

    hashed: frozenset[str]
    residues: Mapping[str, list[Value]]
    shifts: Mapping[str, int]


_SPARE_SLOTS = 512
"""A window has at most this many slots more than the column has values: every array the
counting pass adds up has (feature slots x group slots) cells, so a 100-value feature against
a 100-value group has at most 512 x 512 cells (2 MB), where a window of about 100^2 slots (the
width at which 100 values would be likely to share none) would make 10^8 (800 MB)."""

_MAX_BITS = 16
"""Residues go out as 16-bit integers at most."""

_HOPELESS = 30.0
"""A width at which n values share no slot with probability about exp(-n^2 / 2^(bits + 1))
below exp(-30) is not searched (a column of thousands of values)."""


def _by_residue(by_hash: Mapping[int, Value]) -> tuple[int, list[Value]] | None:
    """A column's values by a window of their hashes' bits (the narrowest, then the lowest,
    in which no two values share one), with the window's shift; None when none is found
    (many values, or a value whose stand-in is NULL).

    A window costs DuckDB a shift and a mask per row, where a residue modulo any number
    costs a 64-bit division: 0.015-0.02 s of CPU for 13 columns of 1M rows."""
    import numpy as np

    if None in by_hash:
        return None
    digests = np.fromiter(by_hash, dtype=np.uint64, count=len(by_hash))
    count = len(digests)
    fewest = max(count - 1, 1).bit_length()
    for bits in range(fewest, _MAX_BITS + 1):
        if 1 << bits > count + _SPARE_SLOTS:
            break
        if count * count > _HOPELESS * 2 ** (bits + 1):
            continue
        shifts = np.arange(64 - bits + 1, dtype=np.uint64)
        windows = np.sort((digests[None, :] >> shifts[:, None]) & np.uint64((1 << bits) - 1))
        distinct = ~(np.diff(windows, axis=1) == 0).any(axis=1)
        if distinct.any():
            shift = int(np.argmax(distinct))
            values: list[Value] = [None] * (1 << bits)
            for digest, value in by_hash.items():
                values[(digest >> shift) & ((1 << bits) - 1)] = value
            return shift, values
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
        width = len(coding.residues[column])
        narrow = "UTINYINT" if width <= 256 else "USMALLINT"
        return f"CAST(({HASH}({quoted}) >> {coding.shifts[column]}) & {width - 1} AS {narrow})"
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
    """Add one batch's rows to every pair's table. The codes stay in their narrow types (bins
    and residues in 8 or 16 bits) until the one addition that makes each table's keys, and
    the combined group code times a feature's number of codes is shared by the features of
    that number in a row: two passes over the rows per feature, where widening each code first
    took four."""
    import numpy as np

    coded_groups = [
        _codes(batch.column(len(features) + j), residues.get(group))
        for j, group in enumerate(groups)
    ]
    stable_groups = [group in residues for group in groups]
    combinations = math.prod(len(values) for _, values in coded_groups)  # exact, not int64
    joint = np.zeros(batch.num_rows, dtype=np.int64)
    if combinations <= _JOINT_CELLS:
        for codes, values in coded_groups:
            joint *= len(values)
            joint += codes
    keys = np.empty(batch.num_rows, dtype=np.int64)
    scaled = _Scaled()
    for index, feature in enumerate(features):
        codes, values = _feature_codes(batch.column(index), feature, residues.get(feature.column))
        width = len(values)
        stable = bool(feature.edges) or feature.column in residues
        if combinations * width <= _JOINT_CELLS:
            base = scaled.of(None, joint, width)
            counts = np.bincount(np.add(base, codes, out=keys), minlength=combinations * width)
            every = tuple(known for _, known in coded_groups)
            tables.add((index, None), _Counts(counts, values, every), stable and all(stable_groups))
            continue
        for j, (group_codes, group_values) in enumerate(coded_groups):
            base = scaled.of(j, group_codes, width)
            counts = np.bincount(np.add(base, codes, out=keys), minlength=len(group_values) * width)
            tables.add(
                (index, j), _Counts(counts, values, (group_values,)), stable and stable_groups[j]
            )


class _Scaled:
    """Group codes times a feature's number of codes, in int64: the last product is kept for
    the next feature of the same width (the binned features, then texts of as many values,
    come one after the other), one array at a time whatever the number of features."""

    def __init__(self) -> None:
        self._key: tuple[int | None, int] | None = None
        self._product: np.ndarray | None = None

    def of(self, group: int | None, codes: np.ndarray, width: int) -> np.ndarray:
        import numpy as np

        if self._product is None or self._key != (group, width):
            self._key, self._product = (group, width), np.multiply(codes, width, dtype=np.int64)
        return self._product


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
    finite = np.isfinite(value)
    if not finite.all():
        codes[~finite] = len(feature.edges) + 1
    bins: list[Any] = list(range(len(feature.edges) + 1))
    return codes, [*bins, None]


def _codes(column: pa.Array, by_residue: list[Value] | None) -> tuple[np.ndarray, list[Any]]:
    """A column as non-negative integer codes (of any integer type) and the value of each code
    (None for NULL; a residue no value has is never a code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if by_residue is not None:
        return column.to_numpy(), by_residue
    if pa.types.is_dictionary(column.type):  # an ENUM: codes already, NULL one more
        values = [*column.dictionary.to_pylist(), None]
        indices = pc.fill_null(column.indices, len(values) - 1)
    elif pa.types.is_integer(column.type) and not column.null_count:  # a text's hash
        import pandas as pd

        # pandas' hash table encodes 64-bit integers in half the time of Arrow's.
        codes, uniques = pd.factorize(column.to_numpy())
        return codes, uniques.tolist()
    else:
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        values, indices = encoded.dictionary.to_pylist(), encoded.indices
    return indices.to_numpy(zero_copy_only=False), values
