"""How a dataset gets columns computed by the model (`from_model` in the manifest): the store
asks a scorer, once, when it loads the dataset. The scorer lives with the model; the store only
knows this contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import duckdb

from governance.manifest import DatasetSpec


@dataclass(frozen=True)
class ScoredTable:
    table: str
    """The table holding the dataset's columns and the model's."""
    spec: DatasetSpec
    """The dataset as checks read it: its prediction (and score) are the model's columns."""


class DatasetScorer(Protocol):
    def add_predictions(
        self, connection: duckdb.DuckDBPyConnection, table: str, name: str, spec: DatasetSpec
    ) -> ScoredTable:
        """A new table of `table`'s rows with the model's predictions beside them. Raises
        `InputError` for the user's mistakes (a feature missing) and `CheckCannotRun` when
        the model fails while scoring."""
        ...
