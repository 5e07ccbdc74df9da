"""DuckDB's counting pass of `DataEngine.proxy_counts`: for each (feature, group column) pair,
how many rows hold each (feature value or bin, group value).

The DuckDB implementation projects the columns from the file and streams them out in Arrow
record batches of at most `batch_rows` rows: memory holds one batch, whatever the row count.
A text column goes out as DuckDB's 64-bit `hash()` of each value (fixed width: exporting and
encoding the texts cost twice as much), translated back to its values at the end through the
value lists of the shape pass (`feature_shapes.value_lists`: each text column's distinct
values with their hashes; a column two of whose values share a hash is streamed as text
instead); a binned feature goes out as DOUBLE and is binned
here against its few edges. Each batch's columns are dictionary-encoded to small integer codes
(Arrow), the group columns' codes combined into one code per row, and each feature's table
counted by `numpy.bincount` over
`group code * feature codes + feature code`: a few array passes per feature, where a SQL
group-by probes a hash table per row per feature. Only the cells (values x groups) reach
Python; the counts are exact and do not depend on the batch size.
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
    values = {column: hashed_values[column] for column in counted if column in hashed_values}
    hashed = frozenset(values)
    tables = _counted_tables(store, name, tuple(features), tuple(groups), hashed, batch_rows)
    if not hashed:
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


def _counted_tables(
    store: DatasetStore,
    name: str,
    features: tuple[CountedFeature, ...],
    groups: tuple[str, ...],
    hashed: frozenset[str],
    batch_rows: int,
) -> dict[tuple[str, str], Cells]:
    select = [f"{_counted(feature, hashed)} AS f{i}" for i, feature in enumerate(features)]
    select.extend(f"{_raw(c, hashed)} AS g{j}" for j, c in enumerate(groups))
    tables: dict[tuple[str, str], Cells] = {
        (feature.column, group): {} for feature in features for group in groups
    }
    store.each_record_batch(
        name,
        lambda table: f"SELECT {', '.join(select)} FROM {table}",
        (),
        batch_rows,
        lambda batch: _count_batch(batch, features, groups, tables),
    )
    return tables


def _raw(column: str, hashed: frozenset[str]) -> str:
    quoted = quote_identifier(column)
    return f"{HASH}({quoted})" if column in hashed else quoted


def _counted(feature: CountedFeature, hashed: frozenset[str]) -> str:
    """The SQL of a feature's counted value: the raw column (a text one's hash), or a binned
    one's value as DOUBLE (binned here: comparing with a few edges is cheaper in numpy than a
    CASE per row in SQL)."""
    if not feature.edges:
        return _raw(feature.column, hashed)
    return f"CAST({quote_identifier(feature.column)} AS DOUBLE)"


def _count_batch(
    batch: pa.RecordBatch,
    features: tuple[CountedFeature, ...],
    groups: tuple[str, ...],
    tables: dict[tuple[str, str], Cells],
) -> None:
    """Add one batch's rows to every pair's table."""
    import numpy as np

    coded_groups = [_codes(batch.column(len(features) + j)) for j in range(len(groups))]
    sizes = tuple(len(values) for _, values in coded_groups)
    combinations = math.prod(sizes)  # exact: many wide group columns fall back to pairs
    combined = np.zeros(batch.num_rows, dtype=np.int64)
    if combinations <= _JOINT_CELLS:
        for codes, values in coded_groups:
            combined *= len(values)
            combined += codes
    for index, feature in enumerate(features):
        codes, values = _feature_codes(batch.column(index), feature)
        width = len(values)
        if combinations * width <= _JOINT_CELLS:
            counts = np.bincount(combined * width + codes, minlength=combinations * width)
            joint = counts.reshape((*sizes, width))
            for j, group in enumerate(groups):
                others = tuple(axis for axis in range(len(groups)) if axis != j)
                table = joint.sum(axis=others) if others else joint
                _add(tables[feature.column, group], table, values, coded_groups[j][1])
            continue
        for j, group in enumerate(groups):
            group_codes, group_values = coded_groups[j]
            counts = np.bincount(group_codes * width + codes, minlength=len(group_values) * width)
            _add(
                tables[feature.column, group],
                counts.reshape(len(group_values), width),
                values,
                group_values,
            )


def _add(cells: Cells, table: np.ndarray, values: list[Any], group_values: list[Any]) -> None:
    """Add a (group code x feature code) table of counts to `cells`, keyed by the values."""
    import numpy as np

    for group_code, code in zip(*np.nonzero(table), strict=True):
        key = (values[code], group_values[group_code])
        cells[key] = cells.get(key, 0) + int(table[group_code, code])


def _feature_codes(column: pa.Array, feature: CountedFeature) -> tuple[np.ndarray, list[Any]]:
    """A feature's codes: a binned one's bin numbers (the number of edges below its value, as
    the first edge it does not exceed; missing, i.e. NULL, NaN or infinite: one past the last
    bin), a raw one's values dictionary-encoded."""
    import numpy as np

    if not feature.edges:
        return _codes(column)
    value = column.to_numpy(zero_copy_only=False)  # NULL as NaN
    # Summed in the narrowest integer type (bytes for up to 254 edges): 2.5x faster than int64.
    codes = np.zeros(len(value), dtype=np.min_scalar_type(len(feature.edges) + 1))
    for edge in feature.edges:
        codes += value > edge
    codes[~np.isfinite(value)] = len(feature.edges) + 1
    bins: list[Any] = list(range(len(feature.edges) + 1))
    return codes.astype(np.int64), [*bins, None]


def _codes(column: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """A column as integer codes (int64) and the value of each code (None for NULL)."""
    import pyarrow as pa
    import pyarrow.compute as pc

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
