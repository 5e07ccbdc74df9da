"""The SQL of the proxy table: one pass for the numeric features' quantile edges and the text
features' number of values, then one pass that counts every (feature, sensitive feature) pair
with GROUPING SETS. Only the contingency cells (bins x groups per pair) reach Python.

Column names reach the SQL only through `quote_identifier`, bin edges only as `?` parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from governance.checks.fairness.queries import missing_value
from governance.data.store import DatasetStore, quote_identifier


@dataclass(frozen=True)
class FeatureColumn:
    column: str
    data_type: str
    numeric: bool


@dataclass(frozen=True)
class FeatureShape:
    """The approximate number of distinct values of a feature and, for a numeric feature with
    more of them than bins, its quantile edges (distinct, ascending); a feature without edges
    is grouped by its values."""

    distinct: int
    edges: tuple[float, ...] = ()

    @property
    def binned(self) -> bool:
        return bool(self.edges)


def feature_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...], bins: int
) -> dict[str, FeatureShape]:
    """The number of distinct values of each feature, and the `bins`-quantile edges of each
    numeric one (exact, equal to `quantile_disc` over its finite values), kept when it has more
    distinct values than bins (fewer are grouped by value, each its own bin).

    Two scans: a numeric feature's quantiles come from its counts per value (one small hash
    table each, where `quantile_disc` sorted every value of every feature: 3x the time on the
    benchmark), which also give its exact number of values; a text feature's number of values
    is HyperLogLog's estimate, enough to choose between grouping by value and refusing."""
    numeric = tuple(f for f in features if f.numeric)
    shapes = _text_shapes(store, name, tuple(f for f in features if not f.numeric))
    for start in range(0, len(numeric), _GROUPING_COLUMNS):
        shapes |= _numeric_shapes(store, name, numeric[start : start + _GROUPING_COLUMNS], bins)
    return {feature.column: shapes[feature.column] for feature in features}


_GROUPING_COLUMNS = 63
"""DuckDB's GROUPING() takes fewer than 64 columns."""


def _text_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...]
) -> dict[str, FeatureShape]:
    if not features:
        return {}
    # A NULL is not counted, a blank text may be (one value more).
    aggregates = ", ".join(f"approx_count_distinct({quote_identifier(f.column)})" for f in features)
    row = store.query(name, lambda table: f"SELECT {aggregates} FROM {table}")[0]
    counts = zip(features, row, strict=True)
    return {feature.column: FeatureShape(distinct=int(n or 0)) for feature, n in counts}


def _numeric_shapes(
    store: DatasetStore, name: str, features: tuple[FeatureColumn, ...], bins: int
) -> dict[str, FeatureShape]:
    """Per feature: its rows counted per value (every value as DOUBLE: NaN and infinities are
    values, NULL is not), then the value at each quantile level `q` taken where the running
    count over its finite values reaches ceil(n * q), as `quantile_disc` does."""
    levels = [i / bins for i in range(1, bins)]
    aliases = [f"f{i}" for i in range(len(features))]
    width = len(features)
    value = " ".join(
        f"WHEN {(1 << width) - 1 - (1 << (width - 1 - i))} THEN {alias}"
        for i, alias in enumerate(aliases)
    )
    quantiles = ", ".join(
        "min(v) FILTER (WHERE below >= ceil(finite::DOUBLE * ?::DOUBLE))" for _ in levels
    )
    source = ", ".join(
        f"CAST({quote_identifier(f.column)} AS DOUBLE) AS {alias}"
        for f, alias in zip(features, aliases, strict=True)
    )

    def sql(table: str) -> str:
        return f"""
            WITH counted AS (
                SELECT GROUPING({", ".join(aliases)}) AS m, {", ".join(aliases)}, count(*) AS n
                FROM (SELECT {source} FROM {table})
                GROUP BY GROUPING SETS ({", ".join(f"({a})" for a in aliases)})
            ),
            per_value AS (SELECT m, CASE m {value} END AS v, n FROM counted),
            running AS (
                SELECT m, v, sum(n) OVER (PARTITION BY m ORDER BY v ROWS UNBOUNDED PRECEDING)
                    AS below, sum(n) OVER (PARTITION BY m) AS finite
                FROM per_value WHERE isfinite(v)
            )
            SELECT m, distinct_values, {quantiles}
            FROM (SELECT m, count(v) AS distinct_values FROM per_value GROUP BY m)
            LEFT JOIN running USING (m) GROUP BY m, distinct_values
        """

    found = {int(row[0]): (int(row[1]), row[2:]) for row in store.query(name, sql, levels)}
    shapes = {}
    for index, feature in enumerate(features):
        distinct, edges = found.get((1 << width) - 1 - (1 << (width - 1 - index)), (0, ()))
        kept = tuple(sorted({float(e) for e in edges if e is not None})) if distinct > bins else ()
        shapes[feature.column] = FeatureShape(distinct=distinct, edges=kept)
    return shapes


def pair_cells(
    store: DatasetStore,
    name: str,
    features: tuple[FeatureColumn, ...],
    shapes: dict[str, FeatureShape],
    sensitive: tuple[str, ...],
    together: frozenset[str],
) -> list[tuple[Any, ...]]:
    """Rows counted per (feature value or bin, sensitive value) of every pair, in one scan.

    Each row: the GROUPING() bitmask over the features then the sensitive features (a clear
    bit: grouped by that column), each feature's bin (NULL where missing) or raw value, each
    sensitive value (raw), and the count; a column not grouped in a row is NULL there.

    A feature in `together` is counted with every sensitive feature at once, the others with
    each sensitive feature apart: one set per pair costs a hash table per pair (2.5x the time
    for 20 features and 3 sensitive ones), so pairs are grouped whenever the cells stay few.
    Counted together, the sensitive values go in as one 64-bit hash of them (a fixed-width key
    is hashed and compared once per row and set, where three texts were), and one more
    grouping set maps each hash back to its values; should two combinations of values share
    a hash, the cells are counted again with the values themselves."""
    if together:
        rows = _pair_rows(store, name, features, shapes, sensitive, together)
        if rows is not None:
            return rows
    return _pair_rows(store, name, features, shapes, sensitive, frozenset()) or []


def _pair_rows(
    store: DatasetStore,
    name: str,
    features: tuple[FeatureColumn, ...],
    shapes: dict[str, FeatureShape],
    sensitive: tuple[str, ...],
    together: frozenset[str],
) -> list[tuple[Any, ...]] | None:
    """The rows `pair_cells` describes, or None when two combinations of sensitive values
    share a hash."""
    select: list[str] = []
    parameters: list[object] = []
    for index, feature in enumerate(features):
        expression, edge_parameters = _binned(feature, shapes[feature.column])
        select.append(f"{expression} AS f{index}")
        parameters.extend(edge_parameters)
    groups = [f"s{j}" for j in range(len(sensitive))]
    select.extend(f"{quote_identifier(c)} AS {s}" for c, s in zip(sensitive, groups, strict=True))
    if together:
        select.append(f"hash({', '.join(groups)}) AS g")
    aliases = [f"f{i}" for i in range(len(features))] + groups + (["g"] if together else [])
    sets = [
        f"(f{i}, g)" if feature.column in together else ", ".join(f"(f{i}, {s})" for s in groups)
        for i, feature in enumerate(features)
    ]
    if together:
        sets.append(f"(g, {', '.join(groups)})")

    def sql(table: str) -> str:
        return f"""
            WITH source AS (SELECT {", ".join(select)} FROM {table})
            SELECT GROUPING({", ".join(aliases)}), {", ".join(aliases)}, count(*)
            FROM source GROUP BY GROUPING SETS ({", ".join(sets)})
        """

    rows = store.query(name, sql, parameters)
    if not together:
        return rows
    return _hashes_resolved(rows, len(features), len(sensitive))


def _hashes_resolved(
    rows: list[tuple[Any, ...]], features: int, sensitive: int
) -> list[tuple[Any, ...]] | None:
    """Rows counted with the sensitive values' hash `g` as rows over the values themselves
    (the GROUPING() mask then over the features and the sensitive features only)."""
    width = features + sensitive + 1
    every = (1 << width) - 1
    mapping_mask = every - sum(1 << b for b in range(sensitive + 1))
    values: dict[object, tuple[object, ...]] = {}
    for row in rows:
        if int(row[0]) == mapping_mask:
            found = tuple(row[1 + features : 1 + features + sensitive])
            if values.setdefault(row[-2], found) != found:
                return None
    resolved = []
    for row in rows:
        mask = int(row[0])
        if mask == mapping_mask:
            continue
        head, count = row[1 : 1 + features], row[-1]
        if not mask & 1:  # grouped by the hash: every sensitive feature at once
            groups = values[row[-2]]
            mask = mask & ~((1 << (sensitive + 1)) - 1)
        else:
            groups = tuple(row[1 + features : 1 + features + sensitive])
        resolved.append((mask >> 1, *head, *groups, count))
    return resolved


def _binned(feature: FeatureColumn, shape: FeatureShape) -> tuple[str, list[object]]:
    """A binned feature's bin number (the first edge it does not exceed; past the last, one
    more; NULL where the value is missing), or the feature's raw value: which raw values are
    missing (a blank text, a NaN) is decided on the counted cells, not per row."""
    quoted = quote_identifier(feature.column)
    if not shape.binned:
        return quoted, []
    missing = missing_value(feature.column, feature.data_type)
    value = f"CAST({quoted} AS DOUBLE)"
    steps = " ".join(f"WHEN {value} <= ? THEN {k}" for k in range(len(shape.edges)))
    return (
        f"CASE WHEN {missing} THEN NULL {steps} ELSE {len(shape.edges)} END",
        list(shape.edges),
    )
