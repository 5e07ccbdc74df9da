"""DuckDB's `DataEngine.proxy_counts`: two passes over the dataset. The shape pass
(`feature_shapes`) counts the numeric features per value (their exact quantile edges) and lists
every other column's values with their hashes (its exact number of values, which decides
whether a text feature is counted, and the translation of the counting pass's hashes); the
counting pass (`contingency`) streams the counted columns once and counts every table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.data.column_types import is_text
from governance.data.contingency import CountedFeature, contingency_counts
from governance.data.engine import FeatureCounts, ProxyRequest
from governance.data.feature_shapes import numeric_shapes, value_lists

if TYPE_CHECKING:
    from governance.data.store import DatasetStore


def proxy_counts(store: DatasetStore, name: str, request: ProxyRequest) -> dict[str, FeatureCounts]:
    types = store.column_types(name)
    numeric = tuple(f.column for f in request.features if f.numeric)
    limits: dict[str, int | None] = {
        f.column: request.max_categories for f in request.features if not f.numeric
    }
    # Group columns are counted whatever their number of values; only texts need a list.
    limits |= {group: None for group in request.groups if is_text(types[group])}
    shapes = numeric_shapes(store, name, numeric, request.bins)
    lists = value_lists(store, name, limits)
    distinct = {column: shape.distinct for column, shape in shapes.items()}
    distinct |= {column: listed.distinct for column, listed in lists.items()}
    edges = {column: shape.edges for column, shape in shapes.items()}
    counted = tuple(
        CountedFeature(f.column, edges.get(f.column, ()))
        for f in request.features
        if request.counts(f, distinct[f.column])
    )
    hashed = {
        column: listed.by_hash
        for column, listed in lists.items()
        if listed.by_hash is not None and is_text(types[column])
    }
    tables = contingency_counts(store, name, counted, request.groups, hashed)
    counted_columns = {feature.column for feature in counted}
    return {
        f.column: FeatureCounts(
            distinct=distinct[f.column],
            edges=edges.get(f.column, ()),
            tables=(
                {group: tables.get((f.column, group), {}) for group in request.groups}
                if f.column in counted_columns
                else None
            ),
        )
        for f in request.features
    }
