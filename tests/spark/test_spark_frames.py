"""Through the Python API, a PySpark DataFrame is audited where it is: Spark computes the counts,
and the result equals the audit of the same rows as a pandas frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import governance
from tests.conftest import Writer
from tests.fairness.conftest import random_hiring_frame

POLICY = """\
policy: frames
rules:
  - id: FAIR-001
    title: Selection rates
    severity: high
    fairness: {dataset: applicants, metric: [selection_rate, true_positive_rate],
               compare: ratio_to_max, min: 0.8, sensitive_features: [sex, race, age],
               intersectional: true}
"""


def _manifest(write: Writer) -> Path:
    write("policy.yaml", POLICY)
    return write(
        "audit.yaml",
        """\
        name: frames
        policies: [policy.yaml]
        datasets:
          applicants:
            label: y
            prediction: p
            sensitive_features: [sex, race, age]
        """,
    )


def test_a_spark_dataframe_is_audited_as_the_same_pandas_frame(write: Writer, spark: Any) -> None:
    frame: pd.DataFrame = random_hiring_frame(3_000, seed=11)
    manifest = _manifest(write)
    on_duckdb = governance.audit(manifest, datasets={"applicants": frame})
    on_spark = governance.audit(manifest, datasets={"applicants": spark.createDataFrame(frame)})
    assert on_spark.rules[0].evidence == on_duckdb.rules[0].evidence
    assert on_spark.rules[0].outcome == on_duckdb.rules[0].outcome
    (recorded,) = [i for i in on_spark.inputs if i.role == "dataset"]
    assert recorded.path == "memory:applicants"
    assert len(recorded.sha256) == 64
    assert recorded.note is not None and recorded.note.startswith("digest scheme partitions-sha256")


def test_a_catalog_table_is_recorded_by_identity_not_hashed(write: Writer, spark: Any) -> None:
    frame: pd.DataFrame = random_hiring_frame(2_000, seed=5)
    spark.createDataFrame(frame).createOrReplaceTempView("applicants_2025")
    manifest = _manifest(write)
    on_duckdb = governance.audit(manifest, datasets={"applicants": frame})
    manifest.write_text(
        manifest.read_text().replace(
            "applicants:\n", "applicants:\n    engine: spark\n    table: applicants_2025\n"
        )
    )
    on_spark = governance.audit(manifest)
    assert on_spark.rules[0].evidence == on_duckdb.rules[0].evidence
    (recorded,) = [i for i in on_spark.inputs if i.role == "dataset"]
    assert recorded.path == "spark-table:applicants_2025"
    assert recorded.size == 0
    assert recorded.note == (
        "content not hashed: the digest is of the identity, with no version (the catalog "
        "gives none)"
    )
    assert "note" not in on_duckdb.inputs[0].model_dump(mode="json")
