"""An audit whose datasets live on two engines: each operation goes to the engine that holds the
dataset it names (DuckDB for files and local frames, Spark for `engine: spark` and PySpark
DataFrames). Checks see one `DataEngine` and know neither."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from governance.data.engine import (
    AgreementCounts,
    CandidateValues,
    ColumnProfile,
    ConfusionCell,
    ConfusionRequest,
    ContentDigest,
    DataEngine,
    DistinctSample,
    FeatureCounts,
    ProxyRequest,
    RankCounts,
    Spread,
    TypedColumn,
    Value,
)
from governance.manifest import DatasetSpec


def is_spark_frame(frame: object) -> bool:
    """Whether `frame` is a PySpark DataFrame (classic or Spark Connect), without importing
    pyspark."""
    return any(
        kind.__module__.startswith("pyspark.sql") and kind.__name__ == "DataFrame"
        for kind in type(frame).__mro__
    )


class RoutedEngine:
    """Datasets by name, each answered by the engine that holds it."""

    def __init__(self, order: tuple[str, ...], engines: Mapping[str, DataEngine]):
        self._order = order
        self._engines = dict(engines)
        self._distinct = tuple({id(e): e for e in engines.values()}.values())

    def _of(self, name: str) -> DataEngine:
        return self._engines[name]

    def names(self) -> tuple[str, ...]:
        return self._order

    def spec(self, name: str) -> DatasetSpec:
        return self._of(name).spec(name)

    def in_memory(self, name: str) -> bool:
        return self._of(name).in_memory(name)

    def columns(self, name: str) -> tuple[str, ...]:
        return self._of(name).columns(name)

    def column_types(self, name: str) -> dict[str, str]:
        return self._of(name).column_types(name)

    def row_count(self, name: str) -> int:
        return self._of(name).row_count(name)

    def in_memory_digest(self, name: str) -> ContentDigest:
        return self._of(name).in_memory_digest(name)

    def close(self) -> None:
        for engine in self._distinct:
            engine.close()

    def profile_columns(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, ColumnProfile]:
        return self._of(name).profile_columns(name, columns, max_length)

    def distinct_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        return self._of(name).distinct_samples(name, profiles, size, seed, max_length)

    def candidate_values(
        self,
        name: str,
        profile: ColumnProfile,
        entities: tuple[str, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> CandidateValues:
        return self._of(name).candidate_values(name, profile, entities, size, seed, max_length)

    def distinct_count(self, name: str, column: str, max_length: int) -> int:
        return self._of(name).distinct_count(name, column, max_length)

    def distinct_batches(
        self, name: str, column: str, batch_size: int, max_length: int
    ) -> Iterator[list[str]]:
        return self._of(name).distinct_batches(name, column, batch_size, max_length)

    def value_spread(
        self, name: str, columns: tuple[str, ...], first_rows: int
    ) -> dict[str, Spread]:
        return self._of(name).value_spread(name, columns, first_rows)

    def present_values(
        self, name: str, columns: Mapping[str, str], limit: int
    ) -> dict[str, list[Value]]:
        return self._of(name).present_values(name, columns, limit)

    def confusion_counts(self, name: str, request: ConfusionRequest) -> tuple[ConfusionCell, ...]:
        return self._of(name).confusion_counts(name, request)

    def proxy_counts(self, name: str, request: ProxyRequest) -> dict[str, FeatureCounts]:
        return self._of(name).proxy_counts(name, request)

    def rank_counts(
        self, name: str, label: TypedColumn, positive: Value, score: TypedColumn
    ) -> RankCounts:
        return self._of(name).rank_counts(name, label, positive, score)

    def agreement_counts(self, name: str, recorded: str, predicted: str) -> AgreementCounts:
        return self._of(name).agreement_counts(name, recorded, predicted)


def _is_a_data_engine(engine: RoutedEngine) -> DataEngine:
    """mypy checks here that the routed engine implements every operation of the interface."""
    return engine
