"""Which engine reads each dataset of an audit: DuckDB in this process (files and local frames,
the default), or Spark (`engine: spark` in the manifest, or a PySpark DataFrame passed through
the Python API). An audit with no Spark dataset never imports pyspark."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.data.engine import DataEngine, DatasetScorer
from governance.data.spark.routing import RoutedEngine, is_spark_frame
from governance.data.spark.session import SparkOptions
from governance.data.store import DatasetStore
from governance.engine.result import InputFile
from governance.errors import SourceLocation
from governance.manifest import LoadedManifest

if TYPE_CHECKING:
    from governance.data.spark.engine import SparkEngine

_PARTITIONS_NOTE = (
    "digest scheme partitions-sha256: each Spark partition hashed as a canonical Arrow stream "
    "where it is, in partition order (not comparable with a file's or DuckDB's digest)"
)


@dataclass(frozen=True)
class AuditData:
    """The data engine of one audit, and its Spark engine when it has one."""

    engine: DataEngine
    spark: SparkEngine | None = None

    def source_inputs(self, manifest: LoadedManifest) -> tuple[InputFile, ...]:
        """The Spark tables and URIs read, in manifest order, recorded by identity and
        version: their content is not hashed (it may be terabytes, read where it lives)."""
        if self.spark is None:
            return ()
        recorded = []
        for name, spec in manifest.manifest.datasets.items():
            if spec.engine != "spark" or (spec.table is None and spec.uri is None):
                continue
            if self.spark.in_memory(name):
                continue
            identity, version = self.spark.source_identity(name)
            shown = identity if version is None else f"{identity}@{version}"
            known = f"version {version}" if version else "no version (the catalog gives none)"
            recorded.append(
                InputFile(
                    role="dataset",
                    path=shown,
                    sha256=hashlib.sha256(shown.encode()).hexdigest(),
                    size=0,
                    note=f"content not hashed: the digest is of the identity, with {known}",
                )
            )
        return tuple(recorded)


def with_digest_notes(inputs: tuple[InputFile, ...]) -> tuple[InputFile, ...]:
    """Inputs whose digest is a scheme's (`partitions-sha256:HEX`) as the hex digest with a
    note naming the scheme: every digest in a report stays 64 hex digits."""
    prefix = "partitions-sha256:"
    return tuple(
        item.model_copy(
            update={"sha256": item.sha256.removeprefix(prefix), "note": _PARTITIONS_NOTE}
        )
        if item.sha256.startswith(prefix)
        else item
        for item in inputs
    )


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
) -> AuditData:
    """The data engine of one audit (`close()` it when done)."""
    frames = dict(frames or {})
    datasets = manifest.manifest.datasets
    on_spark = spark_datasets(manifest, frames)
    if not on_spark:
        return AuditData(DatasetStore(datasets, frames, scorer))
    from governance.data.spark.engine import SparkEngine

    def locate(name: str, key: str) -> SourceLocation:
        return manifest.document.locate(("datasets", name, key))

    settings = manifest.manifest.spark

    def session() -> Any:
        from governance.data.spark.session import resolve_master, spark_session

        where = manifest.document.locate(
            ("spark", "master") if settings else ("datasets", on_spark[0], "engine")
        )
        master = resolve_master(spark, settings.master if settings else None, where)
        conf = {**(settings.conf if settings else {}), **spark.conf}
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
    return AuditData(RoutedEngine(tuple(datasets), engines), spark_engine)
