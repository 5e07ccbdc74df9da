"""The example audit with its dataset declared as a Spark source writes the audit.json of the
DuckDB run, field by field: every number, finding and sample. What differs by design is listed
in `ENGINE_SPECIFIC` (README, "Spark")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import governance

ENGINE_SPECIFIC = {
    # The manifest itself: it says `engine: spark` (so its digest and size differ).
    ("inputs", 0, "sha256"),
    ("inputs", 0, "size"),
    # The model's predictions are hashed per partition on Spark (`partitions-sha256:`).
    ("model", "scored", 0, "predictions_sha256"),
}


def _differences(ours: Any, theirs: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return [
            found
            for key in sorted(set(ours) | set(theirs))
            for found in _differences(ours.get(key), theirs.get(key), (*at, key))
        ]
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [
            found
            for index, (a, b) in enumerate(zip(ours, theirs, strict=True))
            for found in _differences(a, b, (*at, index))
        ]
    return [] if ours == theirs else [at]


def _engine_specific(at: tuple[Any, ...]) -> bool:
    return at in ENGINE_SPECIFIC


def test_the_example_on_spark_writes_the_duckdb_audit(example: Path, spark: Any) -> None:
    duckdb_result = governance.audit(example).model_dump(mode="json")
    text = example.read_text()
    example.write_text(
        text.replace("path: data/applicants.csv", "path: data/applicants.csv\n    engine: spark")
    )
    spark_result = governance.audit(example).model_dump(mode="json")
    assert spark_result["inputs"][0]["path"] == "audit.yaml"
    assert spark_result["model"]["scored"][0]["predictions_sha256"].startswith("partitions-sha256:")
    differences = [
        at
        for at in _differences(spark_result, duckdb_result)
        if at[0] != "timings" and not _engine_specific(at)
    ]
    assert differences == []
    assert len(spark_result["rules"]) > 20


def test_the_example_scored_by_its_onnx_export_on_spark_writes_the_duckdb_audit(
    example: Path, spark: Any
) -> None:
    # An onnxruntime session does not pickle: the executors get the checked model's bytes.
    text = example.read_text()
    artifact = "artifact: model/hiring-screen.skops"
    assert artifact in text
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("  sha256:")]
    onnx = (
        "artifact: model/hiring-screen.onnx\n  outputs: {prediction: label, score: probabilities}"
    )
    example.write_text("".join(lines).replace(artifact, onnx))
    duckdb_result = governance.audit(example).model_dump(mode="json")
    assert duckdb_result["model"]["scored"][0]["rows"] > 0
    example.write_text(
        example.read_text().replace(
            "path: data/applicants.csv", "path: data/applicants.csv\n    engine: spark"
        )
    )
    spark_result = governance.audit(example).model_dump(mode="json")
    assert {r["outcome"] for r in spark_result["rules"]} != {"errored"}
    differences = [
        at
        for at in _differences(spark_result, duckdb_result)
        if at[0] != "timings" and not _engine_specific(at)
    ]
    assert differences == []
