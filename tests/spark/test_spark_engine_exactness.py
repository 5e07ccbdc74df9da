"""Every operation of the data interface gives the same answer on Spark as on DuckDB, over the
same Parquet file: samples drawn by the same seeded hash, exact counts, medians and quantile
edges to the last bit. Only the HyperLogLog estimates (which the interface lets each engine
make its own, and no report shows) are left out. Both sizes run: DuckDB reads a short table
(at most 10,000 rows) another way than a long one; Spark reads both one way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from governance.data.engine import (
    ConfusionRequest,
    DataEngine,
    FeatureColumn,
    ProxyRequest,
    TypedColumn,
)
from governance.data.spark.engine import SparkEngine
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec

TEXTS = ["Zoë 🙂", "  ", "", "a\tb", "ñandú", "x" * 300, "O'Brien", "`tick`", "日本語"]
COLUMNS = (
    "name", "email", "phone", "notes", "count", "ratio", "flag", "day", "sex", "race",
    "y", "p", "score", "level", "code",
)  # fmt: skip


def _frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, rows // 2, rows)
    ratio = rng.normal(size=rows).round(3)
    ratio[rng.random(rows) < 0.02] = np.nan
    ratio[:3] = [np.inf, -np.inf, -0.0]
    score = rng.random(rows).round(4)
    score[rng.random(rows) < 0.01] = np.nan
    notes = np.array(TEXTS, dtype=object)[rng.integers(0, len(TEXTS), rows)]
    notes[rng.random(rows) < 0.05] = None
    return pd.DataFrame(
        {
            "name": [f"person {i}" for i in ids],
            "email": [f"p{i}@example.com" if i % 3 else f"user {i}" for i in ids],
            "phone": [f"+1 212 555 {i % 10_000:04d}" for i in ids],
            "notes": notes,
            "count": pd.array(np.where(rng.random(rows) < 0.03, None, ids), dtype="Int64"),
            "ratio": ratio,
            "flag": rng.random(rows) < 0.3,
            "day": pd.to_datetime("2024-01-01") + pd.to_timedelta(ids % 400, unit="D"),
            "sex": rng.choice(["F", "M", " ", "unknown"], rows),
            "race": rng.choice([f"r{i}" for i in range(6)], rows),
            "y": rng.integers(0, 2, rows),
            "p": np.where(rng.random(rows) < 0.02, None, rng.integers(0, 2, rows)).astype(float),
            "score": score,
            # 77 finite values: at 11 bins, the level 9/11 is the 64th in double precision
            # (the 63rd in exact arithmetic), as DuckDB's quantile_disc takes it.
            "level": np.where(np.arange(rows) < 77, np.arange(rows) % 77 + 1.0, np.nan),
            # Few candidates (1 value in 50 has an SSN's nine digits): a sample of them takes
            # more than the first pass's threshold
            "code": [f"ref 12345{i:05d}" if i % 50 == 0 else f"ref {i}" for i in ids],
        }
    )


@pytest.fixture(scope="module", params=[2_000, 12_000], ids=["short", "long"])
def engines(request: Any, spark: Any, tmp_path_factory: Any) -> Iterator[tuple[DataEngine, ...]]:
    path: Path = tmp_path_factory.mktemp("exactness") / "data.parquet"
    table = pa.Table.from_pandas(_frame(request.param, seed=3), preserve_index=False)
    table = table.set_column(7, "day", table.column("day").cast(pa.date32()))
    pq.write_table(table, path)
    spec = DatasetSpec(path=path, engine="spark")
    duck = DatasetStore({"d": spec.model_copy(update={"engine": "duckdb"})})
    on_spark = SparkEngine({"d": spec}, lambda: spark)
    yield duck, on_spark
    duck.close()
    on_spark.close()


def _both(engines: tuple[DataEngine, ...], call: Any) -> tuple[Any, Any]:
    duck, on_spark = engines
    return call(duck), call(on_spark)


def test_types_and_counts(engines: tuple[DataEngine, ...]) -> None:
    duck, spark = _both(engines, lambda e: (e.column_types("d"), e.row_count("d"), e.columns("d")))
    assert duck == spark


@pytest.mark.parametrize("max_length", [5, 200])
def test_profiles_samples_and_distinct_values(
    engines: tuple[DataEngine, ...], max_length: int
) -> None:
    text_columns = ("name", "email", "phone", "notes", "count", "flag", "day", "sex")

    def pii(engine: DataEngine) -> Any:
        profiles = engine.profile_columns("d", text_columns, max_length)
        counts = {c: (p.data_type, p.non_null, p.too_long) for c, p in profiles.items()}
        samples = {
            size: engine.distinct_samples("d", tuple(profiles.values()), size, 42, max_length)
            for size in (3, 5_000)
        }
        exact = {c: engine.distinct_count("d", c, max_length) for c in text_columns}
        batches = list(engine.distinct_batches("d", "notes", 4, max_length))
        return counts, samples, exact, batches

    duck, spark = _both(engines, pii)
    assert duck == spark


@pytest.mark.parametrize("size", [5, 100_000])
def test_candidate_values(engines: tuple[DataEngine, ...], size: int) -> None:
    def candidates(engine: DataEngine) -> Any:
        found = []
        for column, entities in (
            ("email", ("EMAIL_ADDRESS",)),
            ("phone", ("PHONE_NUMBER", "US_SSN")),
            ("notes", ("EMAIL_ADDRESS", "IP_ADDRESS")),
            ("code", ("US_SSN",)),
        ):
            (profile,) = engine.profile_columns("d", (column,), 200).values()
            value = engine.candidate_values("d", profile, entities, size, 7, 200)
            found.append(
                (
                    value.values,
                    value.complete,
                    value.rows,
                    value.candidate_rows,
                    value.distinct_candidates,
                )
            )
        return found

    duck, spark = _both(engines, candidates)
    assert duck == spark


def test_fairness_operations(engines: tuple[DataEngine, ...]) -> None:
    label, score = TypedColumn("y", "BIGINT"), TypedColumn("score", "DOUBLE")
    requests = [
        ConfusionRequest(
            features=("sex", "race"),
            feature_sets=(("sex",), ("race",)),
            label=label,
            prediction=TypedColumn("p", "DOUBLE"),
            score=score,
            threshold=None,
            scoring=True,
        ),
        ConfusionRequest(
            features=("sex", "race"),
            feature_sets=(("sex", "race"), ("sex",)),
            label=label,
            prediction=None,
            score=score,
            threshold=0.5,
            scoring=False,
        ),
    ]

    def fairness(engine: DataEngine) -> Any:
        cells = [sorted(engine.confusion_counts("d", request), key=repr) for request in requests]
        spread = engine.value_spread("d", ("sex", "race", "ratio"), 1_000_000)
        present = engine.present_values("d", {"y": "BIGINT", "p": "DOUBLE", "sex": "VARCHAR"}, 10)
        return cells, spread, {c: sorted(v) for c, v in present.items()}

    duck, spark = _both(engines, fairness)
    assert duck == spark


def test_the_fairness_looks_each_engine_keeps_are_handed_out_as_copies(
    engines: tuple[DataEngine, ...],
) -> None:
    # Every fairness rule asks for the same values; each engine reads them once per audit.
    for engine in engines:
        columns = {"y": "BIGINT", "sex": "VARCHAR"}
        first = engine.present_values("d", columns, 10)
        first["y"].append(-1)
        assert -1 not in engine.present_values("d", columns, 10)["y"]
        spread = engine.value_spread("d", ("sex",), 1_000)
        spread.clear()
        assert set(engine.value_spread("d", ("sex",), 1_000)) == {"sex"}


def test_model_operations(engines: tuple[DataEngine, ...]) -> None:
    features = (
        FeatureColumn("ratio", "DOUBLE", True),
        FeatureColumn("count", "BIGINT", True),
        FeatureColumn("level", "DOUBLE", True),
        FeatureColumn("sex", "VARCHAR", False),
        FeatureColumn("notes", "VARCHAR", False),
        FeatureColumn("name", "VARCHAR", False),  # more values than max_categories
        FeatureColumn("flag", "BOOLEAN", False),
    )
    request = ProxyRequest(features, ("sex", "flag", "race"), bins=11, max_categories=50)

    def model(engine: DataEngine) -> Any:
        counts = engine.proxy_counts("d", request)
        ranks = engine.rank_counts(
            "d", TypedColumn("y", "BIGINT"), 1, TypedColumn("score", "DOUBLE")
        )
        agreement = engine.agreement_counts("d", "p", "y")
        return counts, ranks, agreement

    duck, spark = _both(engines, model)
    assert duck == spark
    counts = duck[0]
    assert counts["level"].edges[8] == 64.0
    assert counts["name"].tables is None and counts["name"].distinct > 50
    assert counts["notes"].counted and counts["flag"].counted
