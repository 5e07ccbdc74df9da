"""The profile's count of values longer than the maximum length, on a table long enough to be
profiled one column at a time: equal to a count of each value's text in code points, whatever
the type (numbers and dates are not counted as text when they cannot be that long)."""

from __future__ import annotations

import datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from governance.data.column_types import SHORT_TEXT_LENGTH
from governance.data.store import DatasetStore

ROWS = 12_000  # above the rows profiled in one unpivoted query


def _frame() -> pd.DataFrame:
    index = np.arange(ROWS)
    return pd.DataFrame(
        {
            "big": -(10 ** (index % 19)),
            "ratio": index / 7.0 - 1e-300,
            "day": [datetime.date(1000 + i % 9000, 1 + i % 12, 1) for i in index],
            "flag": index % 2 == 0,
            # Multi-byte letters: more bytes than code points.
            "remark": ["é" * (i % 12) + "x" * (i % 5) for i in index],
        }
    )


@pytest.mark.parametrize("max_length", [3, 8, 12, SHORT_TEXT_LENGTH, 4096])
def test_over_long_values_are_counted_in_code_points_for_every_type(max_length: int) -> None:
    frame = _frame()
    store = DatasetStore({}, frames={"d": frame})
    profiles = store.profile_columns("d", tuple(frame.columns), max_length)
    reference = duckdb.connect(":memory:")
    reference.register("frame", frame)
    for column in frame.columns:
        ((expected,),) = reference.execute(
            f'SELECT count(*) FILTER (WHERE length(CAST("{column}" AS VARCHAR)) > ?) FROM frame',
            [max_length],
        ).fetchall()
        assert profiles[column].too_long == expected, column
    assert profiles["remark"].too_long == (
        sum(1 for i in range(ROWS) if i % 12 + i % 5 > max_length)
    )
