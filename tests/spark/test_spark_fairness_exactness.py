"""The fairness exactness tests (every rate and disparity against fairlearn, to floating-point
equality) run again with Spark counting: the same test functions, the dataset handed to the
fairness check on the Spark engine as a Spark DataFrame of the same rows. (The disparities
derived from the counts, which run fairlearn's functions on three more frames, are left to the
DuckDB run: they are arithmetic on the counts these tests already compare.)"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.interface import CheckReport
from governance.data.spark.engine import SparkEngine
from governance.manifest import DatasetSpec
from tests.fairness import test_fairness_exactness as exactness
from tests.fairness.conftest import hiring_frame  # noqa: F401 - the fixture the tests take
from tests.fairness.test_fairness_exactness import (  # noqa: F401 - collected here again
    test_edge_cases_differ_from_fairlearn_only_as_documented,
    test_empty_intersection_is_listed_where_fairlearn_has_a_nan_row,
    test_every_rate_and_summary_equals_metricframe_on_60_groups,
    test_grouping_sets_and_rollup_from_the_intersection_count_the_same,
    test_many_small_groups_agree_where_defined_and_fairlearn_says_zero_where_undefined,
    test_non_finite_scores_agree_with_metricframe_on_the_rows_with_finite_outcomes,
)


@pytest.fixture(autouse=True)
def counted_by_spark(spark: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def run_fairness(
        frame: pd.DataFrame, dataset: dict[str, Any] | None = None, **rule: Any
    ) -> CheckReport:
        declared = {"label": "y", "prediction": "p", **(dataset or {})}
        spec = FairnessSpec.model_validate({"dataset": "data", **rule})
        engine = SparkEngine(
            {"data": DatasetSpec.model_validate(declared)},
            lambda: spark,
            frames={"data": spark.createDataFrame(frame)},
        )
        context = CheckContext(manifest=None, data=engine)  # type: ignore[arg-type]
        try:
            return FairnessCheck().run(spec, context)
        finally:
            engine.close()

    monkeypatch.setattr(exactness, "run_fairness", run_fairness)
