"""How a dataset gets columns computed by the model (`from_model` in the manifest): the store
asks a scorer, once, when it loads the dataset. The scorer lives with the model; the store only
knows this contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from governance.manifest import DatasetSpec

if TYPE_CHECKING:
    import duckdb


class DatasetScorer(Protocol):
    def planned_spec(self, spec: DatasetSpec) -> DatasetSpec:
        """The dataset as checks read it once scored: its prediction (and, when the model
        scores, its score) name the model's columns. Loads the model, scores nothing."""
        ...

    def add_predictions(
        self, connection: duckdb.DuckDBPyConnection, table: str, name: str, spec: DatasetSpec
    ) -> str:
        """A new table of `table`'s rows with the model's predictions beside them. Raises
        `InputError` for the user's mistakes (a feature missing) and `CheckCannotRun` when
        the model fails while scoring."""
        ...
