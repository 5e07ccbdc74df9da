"""`SparkEngine`: the data interface (`governance.data.engine.DataEngine`) on Apache Spark.

Every operation is one or a few Spark SQL statements over a temporary view of the dataset;
only aggregates and bounded samples reach the driver (no `toPandas`, no `collect` of the
data's rows): counts, the values of a sample under a hash threshold (about `4 * (size + 1)`),
one row per group of a group-by. The answers equal the DuckDB engine's value for value (the
exactness tests run on both); the estimates the interface allows to differ (HyperLogLog
distinct counts) are Spark's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from governance.data.engine import (
    SHORT_TABLE_ROWS,
    AgreementCounts,
    CandidateValues,
    ColumnProfile,
    ConfusionCell,
    ConfusionRequest,
    ContentDigest,
    DataEngine,
    DatasetScorer,
    DistinctSample,
    FeatureCounts,
    ProxyRequest,
    RankCounts,
    Spread,
    TypedColumn,
    Value,
)
from governance.data.hash_thresholds import under_rising_thresholds
from governance.data.spark import expressions as sql
from governance.data.spark.column_types import duckdb_type_name
from governance.data.spark.seeded_sample import collected_below, hashed, in_hash_order
from governance.data.spark.sources import Locate, read_source, reading
from governance.errors import CheckCannotRun, InputError
from governance.manifest import DatasetSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

T = TypeVar("T")
_COLUMNS_PER_QUERY = 64
"""Columns profiled or sampled in one statement."""


class SparkEngine:
    """The datasets of one audit that Spark reads (by manifest name)."""

    def __init__(
        self,
        datasets: Mapping[str, DatasetSpec],
        session: Callable[[], SparkSession],
        *,
        frames: Mapping[str, DataFrame] | None = None,
        scorer: DatasetScorer | None = None,
        locate: Locate = lambda name, key: None,
        allowed_uris: tuple[str, ...] = (),
    ):
        self._specs = dict(datasets)
        self._session_factory = session
        self._session: SparkSession | None = None
        self._frames = dict(frames or {})
        self._scorer = scorer
        self._locate = locate
        self._allowed_uris = allowed_uris
        self._views: dict[str, str] = {}
        self._base: dict[str, DataFrame] = {}
        self._scored: dict[str, str] = {}
        self._scoring_failed: dict[str, CheckCannotRun] = {}
        self._persisted: list[DataFrame] = []
        self._cache: dict[tuple[object, ...], Any] = {}
        self._lock = threading.RLock()

    # datasets

    def names(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def spec(self, name: str) -> DatasetSpec:
        spec = self._specs[name]
        if spec.from_model is None:
            return spec
        return self._model_scorer(name).planned_spec(spec)

    def in_memory(self, name: str) -> bool:
        return name in self._frames

    def columns(self, name: str) -> tuple[str, ...]:
        return tuple(self._frame(name).columns)

    def column_types(self, name: str) -> dict[str, str]:
        return self._cached(
            ("types", name),
            lambda: {
                f.name: duckdb_type_name(f.dataType)
                for f in self._session_().table(self._view(name)).schema.fields
            },
        )

    def _own_types(self, name: str) -> dict[str, str]:
        return self._cached(
            ("own_types", name),
            lambda: {f.name: duckdb_type_name(f.dataType) for f in self._frame(name).schema.fields},
        )

    def row_count(self, name: str) -> int:
        return self._cached(
            ("rows", name),
            lambda: int(self._one(name, f"SELECT count(*) FROM {self._base_view(name)}")[0]),
        )

    def in_memory_digest(self, name: str) -> ContentDigest:
        """A DataFrame passed in memory cannot be hashed as one canonical stream without
        bringing its rows to the driver: its digest is the `partitions-sha256` scheme (see
        `governance.data.spark.digest`)."""
        from governance.data.spark.digest import partitions_digest

        return self._cached(("digest", name), lambda: partitions_digest(self._frame(name)))

    def source_identity(self, name: str) -> tuple[str, str | None]:
        """(what the dataset is, its version where known) for a catalog table or a URI, whose
        content an audit does not hash: `spark-table:db.t` with a Delta version or Iceberg
        snapshot id, `spark-uri:s3a://...` (with the Delta version of a Delta location)."""
        from governance.data.spark.digest import location_version, table_identity

        spec = self._specs[name]
        session = self._session_()
        with reading(name, spec, self._locate):
            if spec.table is not None:
                identity, version = table_identity(session, spec.table)
                return f"spark-table:{identity}", version
            assert spec.uri is not None
            self._frame(name)  # the URI must be allowed, and readable
            version = location_version(session, spec.uri) if spec.format == "delta" else None
            return f"spark-uri:{spec.uri}", version

    def close(self) -> None:
        for frame in self._persisted:
            frame.unpersist()
        self._persisted.clear()
        if self._session is not None:
            for view in self._views.values():
                self._session.catalog.dropTempView(view)
            for view in self._scored.values():
                self._session.catalog.dropTempView(view)

    # PII

    def profile_columns(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, ColumnProfile]:
        missing = tuple(c for c in columns if ("profile", name, c, max_length) not in self._cache)
        types = self._own_types(name)
        view = self._base_view(name)
        for chunk in _chunks(missing, _COLUMNS_PER_QUERY):
            parts = []
            for c in chunk:
                text = sql.as_text(c, types[c], max_length)
                parts += [
                    f"count({sql.quote(c)})",
                    f"count_if(length({sql.as_text(c, types[c], 2**31 - 1)}) > {int(max_length)})",
                    f"approx_count_distinct({text})",
                ]
            row = self._one(name, f"SELECT {', '.join(parts)} FROM {view}")
            for index, c in enumerate(chunk):
                n, long, distinct = row[3 * index : 3 * index + 3]
                self._cache[("profile", name, c, max_length)] = ColumnProfile(
                    c, types[c], int(n), int(long), int(distinct)
                )
        return {c: self._cache[("profile", name, c, max_length)] for c in columns}

    def distinct_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        def key(p: ColumnProfile) -> tuple[object, ...]:
            return ("sample", name, p.column, size, seed, max_length)

        found = under_rising_thresholds(
            {p: p.distinct_estimate for p in profiles if key(p) not in self._cache},
            size,
            _COLUMNS_PER_QUERY,
            lambda chunk, thresholds: self._below_thresholds(
                name, chunk, thresholds, size, seed, max_length
            ),
        )
        for profile, values in found.items():
            self._cache[key(profile)] = self._sample(name, profile, values, size, max_length)
        return {p.column: self._cache[key(p)] for p in profiles}

    def _sample(
        self, name: str, profile: ColumnProfile, values: list[str], size: int, max_length: int
    ) -> DistinctSample:
        if len(values) <= size:
            return DistinctSample(tuple(values), True, len(values))
        distinct = None
        if self.row_count(name) <= SHORT_TABLE_ROWS:
            distinct = self.distinct_count(name, profile.column, max_length)
        return DistinctSample(tuple(values[:size]), False, distinct)

    def _below_thresholds(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        thresholds: list[int],
        size: int,
        seed: int,
        max_length: int,
    ) -> list[list[str]]:
        """Per column, up to `size + 1` distinct values whose seeded hash is at most its
        threshold, in (hash, value) order (each column's distinct values digested once, in
        one statement: about `4 * (size + 1)` values per column reach the driver)."""

        view = self._base_view(name)
        branches = []
        for index, (profile, threshold) in enumerate(zip(profiles, thresholds, strict=True)):
            text = sql.as_text(profile.column, profile.data_type, max_length)
            distinct = (
                f"SELECT DISTINCT {text} AS v FROM {view} "
                f"WHERE {sql.quote(profile.column)} IS NOT NULL"
            )
            branches.append(
                f"SELECT {index} AS i, {collected_below(threshold)} AS found "
                f"FROM ({hashed(distinct, seed)})"
            )
        found: list[list[str]] = [[] for _ in profiles]
        for index, values in self._rows(name, " UNION ALL ".join(branches)):
            found[index] = in_hash_order(list(values), seed)[: size + 1]
        return found

    def candidate_values(
        self,
        name: str,
        profile: ColumnProfile,
        entities: tuple[str, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> CandidateValues:
        return self._cached(
            ("candidates", name, profile.column, entities, size, seed, max_length),
            lambda: self._candidates(name, profile, entities, size, seed, max_length),
        )

    def _candidates(
        self,
        name: str,
        profile: ColumnProfile,
        entities: tuple[str, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> CandidateValues:
        from governance.data.spark.candidates import scan_candidates

        scan = scan_candidates(
            lambda statement, args: self._rows(name, statement, args),
            self._base_view(name),
            profile,
            entities,
            size=size,
            seed=seed,
            max_length=max_length,
        )
        # The same pass counted the column's distinct values, which the scan asks next.
        self._cache.setdefault(("distinct", name, profile.column, max_length), scan.distinct)
        return scan.candidates

    def distinct_count(self, name: str, column: str, max_length: int) -> int:
        text = sql.as_text(column, self._own_types(name)[column], max_length)
        return self._cached(
            ("distinct", name, column, max_length),
            lambda: int(
                self._one(name, f"SELECT count(DISTINCT {text}) FROM {self._base_view(name)}")[0]
            ),
        )

    def distinct_batches(
        self, name: str, column: str, batch_size: int, max_length: int
    ) -> Iterator[list[str]]:
        """Streamed to the driver one partition at a time (`toLocalIterator`): memory holds a
        partition of the column's distinct values and one batch."""
        text = sql.as_text(column, self._own_types(name)[column], max_length)
        frame = self._session_().sql(
            f"SELECT DISTINCT {text} AS v FROM {self._base_view(name)} "
            f"WHERE {sql.quote(column)} IS NOT NULL ORDER BY v"
        )
        batch: list[str] = []
        with reading(name, self._specs[name], self._locate):
            for row in frame.toLocalIterator():
                batch.append(row[0])
                if len(batch) == batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    # fairness

    def value_spread(
        self, name: str, columns: tuple[str, ...], first_rows: int
    ) -> dict[str, Spread]:
        """Over Spark's first `first_rows` rows (`LIMIT`: a file's rows in order, as far as
        Spark reads the first of its splits first; every row of a dataset no longer). Kept per
        audit, as every fairness rule on the dataset asks for it."""
        key = ("spread", name, columns, first_rows)
        return dict(self._cached(key, lambda: self._value_spread(name, columns, first_rows)))

    def _value_spread(
        self, name: str, columns: tuple[str, ...], first_rows: int
    ) -> dict[str, Spread]:
        if not columns:
            return {}
        quoted = ", ".join(sql.quote(c) for c in columns)
        parts = ", ".join(f"count(DISTINCT {sql.quote(c)}), count({sql.quote(c)})" for c in columns)
        row = self._one(
            name,
            f"SELECT {parts} FROM (SELECT {quoted} FROM {self._view(name)} "
            f"LIMIT {int(first_rows)})",
        )
        return {
            c: Spread(distinct=int(row[2 * i]), present=int(row[2 * i + 1]))
            for i, c in enumerate(columns)
        }

    def present_values(
        self, name: str, columns: Mapping[str, str], limit: int
    ) -> dict[str, list[Value]]:
        """Kept per audit, as every fairness rule on the dataset asks for the same values."""
        key = ("present", name, tuple(columns.items()), limit)
        kept = self._cached(key, lambda: self._present_values(name, columns, limit))
        return {column: list(values) for column, values in kept.items()}

    def _present_values(
        self, name: str, columns: Mapping[str, str], limit: int
    ) -> dict[str, list[Value]]:
        view = self._view(name)
        return {
            column: [
                value
                for (value,) in self._rows(
                    name,
                    f"SELECT DISTINCT {sql.quote(column)} FROM {view} "
                    f"WHERE NOT {sql.missing(column, data_type)} LIMIT {int(limit)}",
                )
            ]
            for column, data_type in columns.items()
        }

    def confusion_counts(self, name: str, request: ConfusionRequest) -> tuple[ConfusionCell, ...]:
        source = f"({self._confusion_source(name, request)})"
        median = self._median(name, source, request)
        aliases = [f"f{i}" for i in range(len(request.features))]
        outcome = ["y", "p", "s IS NULL"] if request.scoring else ["y", "p"]
        if request.rollup:
            grouping = ", ".join([*aliases, *outcome])
            grouped = "0"
        else:
            sets = [
                [aliases[request.features.index(f)] for f in feature_set]
                for feature_set in request.feature_sets
            ]
            listed = ", ".join("(" + ", ".join([*s, *outcome]) + ")" for s in sets)
            grouping = f"GROUPING SETS ({listed})"
            width = len(aliases)
            grouped = " + ".join(
                f"(grouping({a}) * {1 << (width - 1 - i)})" for i, a in enumerate(aliases)
            )
        above = "0" if median is None else f"count_if(s > {sql.double_literal(median)})"
        statement = (
            f"SELECT {grouped}, {', '.join(aliases)}, y, p, count(*), count(s), {above} "
            f"FROM {source} GROUP BY {grouping}"
        )
        width = len(aliases)
        return tuple(
            ConfusionCell.from_row(row, width, median) for row in self._rows(name, statement)
        )

    def _confusion_source(self, name: str, request: ConfusionRequest) -> str:
        select = [f"{sql.quote(f)} AS f{i}" for i, f in enumerate(request.features)]
        label = request.label
        select.append(
            f"{sql.present(label.column, label.data_type)} AS y" if label else "NULL AS y"
        )
        score = request.score
        if request.prediction is not None:
            prediction = request.prediction
            select.append(f"{sql.present(prediction.column, prediction.data_type)} AS p")
        elif request.threshold is not None and score is not None:
            select.append(
                f"{sql.finite_double(score.column, score.data_type)} >= "
                f"{sql.double_literal(float(request.threshold))} AS p"
            )
        else:
            select.append("NULL AS p")
        if score is not None:
            select.append(f"{sql.finite_double(score.column, score.data_type)} AS s")
        else:
            select.append("CAST(NULL AS DOUBLE) AS s")
        return f"SELECT {', '.join(select)} FROM {self._view(name)}"

    def _median(self, name: str, source: str, request: ConfusionRequest) -> float | None:
        """DuckDB's `median` of `s` over the complete rows: the middle value, or `lo + (hi -
        lo) / 2` of the two middle ones (taken exactly with `percentile_disc`, whose answer is
        the smallest value with at least the asked share of the values at or below it)."""
        if request.score is None:
            return None
        needed = ["s IS NOT NULL"]
        if request.label is not None:
            needed.append("y IS NOT NULL")
        if request.selects:
            needed.append("p IS NOT NULL")
        complete = f"SELECT s FROM {source} WHERE {' AND '.join(needed)}"
        (count,) = self._one(name, f"SELECT count(*) FROM ({complete})")
        if not count:
            return None
        low, high = (count - 1) // 2 + 1, count // 2 + 1
        lo, hi = self._one(
            name,
            f"SELECT {order_statistic(low, count, 's')}, {order_statistic(high, count, 's')} "
            f"FROM ({complete})",
        )
        return float(lo) if low == high else float(lo) + (float(hi) - float(lo)) * 0.5

    # model

    def proxy_counts(self, name: str, request: ProxyRequest) -> dict[str, FeatureCounts]:
        from governance.data.spark.proxy_counts import proxy_counts

        types = self.column_types(name)
        return proxy_counts(self._view(name), types, request, lambda s: self._rows(name, s))

    def rank_counts(
        self, name: str, label: TypedColumn, positive: Value, score: TypedColumn
    ) -> RankCounts:
        per_score = (
            f"SELECT s, count_if(y = :positive) AS pos, count_if(y != :positive) AS neg FROM "
            f"(SELECT {sql.present(label.column, label.data_type)} AS y, "
            f"{sql.finite_double(score.column, score.data_type)} AS s FROM {self._view(name)}) "
            "WHERE y IS NOT NULL AND s IS NOT NULL GROUP BY s"
        )
        statement = (
            "SELECT coalesce(sum(pos * (below + 0.5D * neg)), 0D), coalesce(sum(pos), 0), "
            "coalesce(sum(neg), 0) FROM (SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY s "
            f"ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM ({per_score}))"
        )
        won, positives, negatives = self._one(name, statement, {"positive": positive})
        return RankCounts(float(won), int(positives), int(negatives))

    def agreement_counts(self, name: str, recorded: str, predicted: str) -> AgreementCounts:
        r, m = sql.quote(recorded), sql.quote(predicted)
        numbers = f"try_cast({r} AS DOUBLE) = try_cast({m} AS DOUBLE)"
        texts = f"trim(CAST({r} AS STRING)) = trim(CAST({m} AS STRING))"
        agree = (
            f"CASE WHEN try_cast({r} AS DOUBLE) IS NOT NULL AND try_cast({m} AS DOUBLE) IS NOT "
            f"NULL THEN {numbers} ELSE {texts} END"
        )
        rows, missing, disagreeing = self._one(
            name,
            f"SELECT count(*), count_if({r} IS NULL), count_if({r} IS NULL OR {m} IS NULL OR "
            f"NOT ({agree})) FROM {self._view(name)}",
        )
        return AgreementCounts(int(rows), int(missing), int(disagreeing))

    # reading

    def _session_(self) -> SparkSession:
        with self._lock:
            if self._session is None:
                self._session = self._session_factory()
            return self._session

    def _frame(self, name: str) -> DataFrame:
        """The dataset as read (without the model's columns)."""
        with self._lock:
            if name not in self._base:
                if name in self._frames:
                    self._base[name] = self._frames[name]
                else:
                    spec = self._specs[name]
                    self._base[name] = read_source(
                        self._session_(), name, spec, self._locate, self._allowed_uris
                    )
            return self._base[name]

    def _base_view(self, name: str) -> str:
        with self._lock:
            if name not in self._views:
                view = f"governance_dataset_{len(self._views)}_{id(self)}"
                self._frame(name).createOrReplaceTempView(view)
                self._views[name] = view
            return sql.quote(self._views[name])

    def _view(self, name: str) -> str:
        """The view checks read: the dataset, with `from_model` scored by the model on the
        executors (once: the scored rows are persisted for the audit)."""
        with self._lock:
            if name in self._scoring_failed:
                raise self._scoring_failed[name]
            if self._specs[name].from_model is None:
                return self._base_view(name)
            if name not in self._scored:
                try:
                    self._scored[name] = self._score(name)
                except CheckCannotRun as failed:
                    self._scoring_failed[name] = failed
                    raise
            return sql.quote(self._scored[name])

    def _score(self, name: str) -> str:
        from governance.data.spark.scoring import score_on_executors

        frame, rows, digest = score_on_executors(
            self._frame(name), self._model_scorer(name), name, self._specs[name]
        )
        self._persisted.append(frame)
        view = f"governance_scored_{len(self._scored)}_{id(self)}"
        frame.createOrReplaceTempView(view)
        return view

    def _model_scorer(self, name: str) -> DatasetScorer:
        if self._scorer is None:
            raise InputError(
                f"dataset '{name}' asks for predictions from the model, which this audit does "
                "not load"
            )
        return self._scorer

    def _rows(
        self, name: str, statement: str, args: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """The rows of an aggregate or bounded statement (never the data's own rows)."""
        with reading(name, self._specs[name], self._locate):
            frame = self._session_().sql(statement, args=dict(args or {}))
            return [tuple(row) for row in frame.collect()]

    def _one(
        self, name: str, statement: str, args: Mapping[str, Any] | None = None
    ) -> tuple[Any, ...]:
        (row,) = self._rows(name, statement, args)
        return row

    def _cached(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[no-any-return]


def order_statistic(rank: int, count: int, column: str) -> str:
    """The `rank`-th smallest (from 1) of `count` values of `column`: `percentile_disc` at a
    share half a value below the rank, so that no rounding of the share moves it."""
    share = (rank - 0.5) / count
    return f"percentile_disc({share!r}) WITHIN GROUP (ORDER BY {column})"


def _chunks(items: tuple[T, ...], size: int) -> list[tuple[T, ...]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _is_a_data_engine(engine: SparkEngine) -> DataEngine:
    """mypy checks here that the Spark engine implements every operation of the interface."""
    return engine
