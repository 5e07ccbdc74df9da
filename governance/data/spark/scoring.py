"""`from_model` on Spark: the model scores each partition on the executors (`mapInArrow`, one
Arrow record batch at a time), its columns appended to the rows; the scored rows are persisted
so the model runs once per audit. Nothing but a row count and one digest per partition reaches
the driver."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from governance.data.engine import BatchScoring, DatasetScorer
from governance.errors import CheckCannotRun
from governance.manifest import DatasetSpec

if TYPE_CHECKING:
    import pyarrow
    from pyspark.sql import DataFrame


def score_on_executors(
    frame: DataFrame, scorer: DatasetScorer, name: str, spec: DatasetSpec
) -> tuple[DataFrame, int, str]:
    """(the rows with the model's columns, persisted; rows; the predictions' digest in the
    `partitions-sha256` scheme). Raises as `DatasetScorer.start` and `predict_batch` do."""
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import StructType

    from governance.data.spark.digest import partitions_digest

    scoring = scorer.start(name, spec, tuple(frame.columns))
    added = from_arrow_schema(scoring.empty().schema)
    schema = StructType([*frame.schema.fields, *added.fields])
    scored = frame.mapInArrow(_scorer_of(scoring), schema).persist()
    try:
        rows = scored.count()
    except Exception as error:
        scored.unpersist()
        raise _model_failure(error) from None
    digest = partitions_digest(scored.select(*(f.name for f in added.fields)))
    scoring.finish(rows, digest.sha256)
    return scored, rows, digest.sha256


def _scorer_of(scoring: BatchScoring) -> Any:
    """The function each executor runs over its partition's record batches (shipped to the
    executors with the model it holds)."""
    features = scoring.features
    scoring = _shippable(scoring)

    def score(batches: Iterator[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            added = scoring.predict_batch(batch.select(list(features)))
            columns = [*batch.columns, *(c.combine_chunks() for c in added.columns)]
            names = [*batch.schema.names, *added.schema.names]
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return score


def _shippable(scoring: BatchScoring) -> BatchScoring:
    """A copy of `scoring` that can be sent to the executors: the attributes that cannot be
    pickled (the driver's record of what was scored, with its lock) stay behind, since
    `predict_batch` needs only the model (an ONNX model travels as its checked bytes and is
    loaded again on the executor). A model that cannot be pickled cannot score on Spark: the
    rules on the dataset are errored, saying so."""
    from pyspark import cloudpickle

    dumps: Any = cloudpickle.dumps
    shipped = copy.copy(scoring)
    for attribute, value in list(vars(shipped).items()):
        try:
            dumps(value)
        except Exception:  # noqa: PERF203 - each attribute is tried on its own
            delattr(shipped, attribute)
    try:
        dumps(shipped.predict_batch)
    except Exception as error:
        raise CheckCannotRun(
            f"the model cannot be sent to the Spark executors ({type(error).__name__})"
        ) from None
    return shipped


def _model_failure(error: Exception) -> Exception:
    """A model that failed on an executor: the `CheckCannotRun` it raised there travels back
    as Spark's error text; its reason is the last line naming it."""
    text = str(error)
    marker = "CheckCannotRun: "
    if marker in text:
        reason = text.split(marker, 1)[1].splitlines()[0].strip()
        return CheckCannotRun(reason)
    return error
