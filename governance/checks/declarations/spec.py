"""The `declarations:` block of a rule."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.validation import FrozenModel

Compared = Literal["personal_data", "fairness_features"]


class DeclarationsSpec(FrozenModel):
    """Compare what the documents declare with what the audit measured: the personal data the
    datasets' Croissant files declare (`rai:personalSensitiveInformation`) with what the pii
    rules found, and the groups the model card says its fairness evaluation covers with the
    sensitive features the fairness rules measured."""

    kind: Literal["declarations"] = "declarations"
    datasets: DatasetSelector = "*"
    """Dataset names or globs whose Croissant declarations are compared (`*`: all)."""
    compare: tuple[Compared, ...] = Field(
        default=("personal_data", "fairness_features"), min_length=1
    )
    """Which comparisons to make."""

    @property
    def gates(self) -> bool:
        """Always: personal data found that the declaration denies or leaves out fails."""
        return True

    def referenced_datasets(self) -> tuple[str, ...]:
        return explicit_dataset_names(self.datasets)

    def failure_conditions(self) -> tuple[str, ...]:
        conditions = []
        if "personal_data" in self.compare:
            conditions += [
                "a covered dataset's Croissant file declares no personal data, and a pii rule "
                "found some in the dataset",
                "a covered dataset's Croissant file names the personal data it holds, and a "
                "pii rule found an entity it does not name",
            ]
        if "fairness_features" in self.compare:
            conditions.append(
                "a sentence of the model card about its fairness evaluation names a group "
                "attribute (sex, race, age, disability, ...) that no fairness rule measured"
            )
        return tuple(conditions)
