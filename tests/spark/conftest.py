"""One local Spark (`local[2]`) for the whole test run: starting its JVM takes seconds.

The tests that need pyspark skip when it is not installed (CI installs the `spark` extra, so
they run there); those of the manifest and of the errors before Spark starts run everywhere."""

from __future__ import annotations

import os
from typing import Any

import pytest

MASTER = "local[2]"


@pytest.fixture(scope="session")
def spark() -> Any:
    pytest.importorskip("pyspark")
    from governance.data.spark.session import spark_session

    os.environ.setdefault("GOVERNANCE_SPARK_MASTER", MASTER)
    return spark_session(
        MASTER,
        {
            "spark.sql.shuffle.partitions": "4",
            "spark.sql.execution.arrow.pyspark.enabled": "true",
        },
        None,
    )
