"""Which engine reads each dataset of an audit: DuckDB in this process (files and local frames,
the default), or Spark (`engine: spark` in the manifest, or a PySpark DataFrame passed through
the Python API). An audit with no Spark dataset never imports pyspark."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from governance.data.engine import DataEngine, DatasetScorer
from governance.data.spark.routing import RoutedEngine, is_spark_frame
from governance.data.spark.session import SparkOptions
from governance.data.store import DatasetStore
from governance.errors import SourceLocation
from governance.manifest import LoadedManifest


def spark_datasets(manifest: LoadedManifest, frames: Mapping[str, Any]) -> tuple[str, ...]:
    """The datasets Spark reads, in manifest order."""
    return tuple(
        name
        for name, spec in manifest.manifest.datasets.items()
        if (is_spark_frame(frames[name]) if name in frames else spec.engine == "spark")
    )


def open_data_engine(
    manifest: LoadedManifest,
    frames: Mapping[str, Any] | None,
    scorer: DatasetScorer,
    spark: SparkOptions,
) -> DataEngine:
    """The data engine of one audit (`close()` it when done)."""
    frames = dict(frames or {})
    datasets = manifest.manifest.datasets
    on_spark = spark_datasets(manifest, frames)
    if not on_spark:
        return DatasetStore(datasets, frames, scorer)
    from governance.data.spark.engine import SparkEngine

    def locate(name: str, key: str) -> SourceLocation:
        return manifest.document.locate(("datasets", name, key))

    settings = manifest.manifest.spark

    def session() -> Any:
        from governance.data.spark.session import resolve_master, spark_session

        master = resolve_master(spark, settings.master if settings else None)
        conf = {**(settings.conf if settings else {}), **spark.conf}
        where = manifest.document.locate(
            ("spark", "master") if settings else ("datasets", on_spark[0], "engine")
        )
        return spark_session(master, conf, where)

    spark_engine = SparkEngine(
        {name: datasets[name] for name in on_spark},
        session,
        frames={name: frames[name] for name in on_spark if name in frames},
        scorer=scorer,
        locate=locate,
        allowed_uris=spark.allowed_uris,
    )
    local = {name: spec for name, spec in datasets.items() if name not in on_spark}
    duck = DatasetStore(local, {n: f for n, f in frames.items() if n in local}, scorer)
    engines: dict[str, DataEngine] = dict.fromkeys(on_spark, spark_engine)
    engines.update(dict.fromkeys(local, duck))
    return RoutedEngine(tuple(datasets), engines)
