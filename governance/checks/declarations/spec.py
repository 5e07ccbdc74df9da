"""The `declarations:` block of a rule."""

from __future__ import annotations

from typing import Literal

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.validation import FrozenModel


class DeclarationsSpec(FrozenModel):
    """Compare what the datasets' Croissant files declare about personal data
    (`rai:personalSensitiveInformation`) with what the audit's pii rules found in the data."""

    kind: Literal["declarations"] = "declarations"
    datasets: DatasetSelector = "*"
    """Dataset names or globs whose declarations are compared (`*`: all)."""

    @property
    def gates(self) -> bool:
        """Always: personal data found that the declaration denies or leaves out fails."""
        return True

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets)

    def failure_conditions(self) -> tuple[str, ...]:
        return (
            "a covered dataset's Croissant file declares no personal data, and a pii rule "
            "found some in the dataset",
            "a covered dataset's Croissant file names the personal data it holds, and a pii "
            "rule found an entity it does not name",
        )
