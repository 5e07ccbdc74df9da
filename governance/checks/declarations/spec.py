"""The `declarations:` block of a rule."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.checks.dataset_selection import DatasetSelector, explicit_dataset_names
from governance.config.validation import FrozenModel

Compared = Literal["personal_data", "fairness_features", "training_data"]


class DeclarationsSpec(FrozenModel):
    """Compare what the documents declare with what the audit measured: the personal data the
    datasets' Croissant files (`rai:personalSensitiveInformation`) and datasheets (a section on
    personal or sensitive data) declare with what the pii rules found, the groups the model
    card says its fairness evaluation covers with the sensitive features the fairness rules
    measured, and (`training_data`, when asked for) the datasets and training data size the
    card states with the manifest's training datasets."""

    kind: Literal["declarations"] = "declarations"
    datasets: DatasetSelector = "*"
    """Dataset names or globs whose Croissant files and datasheets are compared (`*`: all); the
    training data comparison covers every dataset of the manifest with `role: training`."""
    compare: tuple[Compared, ...] = Field(
        default=("personal_data", "fairness_features"), min_length=1
    )
    """Which comparisons to make (`training_data` only when listed)."""
    row_tolerance: Annotated[int, Field(ge=0)] = 0
    """How many rows a training data size the card states may differ from the rows of the
    manifest's training datasets."""

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
                "a covered dataset's Croissant file or datasheet declares no personal data, "
                "and a pii rule found some in the dataset",
                "a covered dataset's Croissant file or datasheet names the personal data it "
                "holds, and a pii rule found an entity it does not name",
            ]
        if "fairness_features" in self.compare:
            conditions.append(
                "a sentence of the model card about its fairness evaluation names a group "
                "attribute (sex, race, age, disability, ...) that no fairness rule measured"
            )
        if "training_data" in self.compare:
            conditions += [
                "the model card's front matter `datasets` names a dataset that is not one of "
                "the manifest's training datasets (by `id`, else name), or leaves one out",
                'a training data size the card states ("N rows/examples/records/samples/'
                'applications" in its training data section) differs from the rows of the '
                "manifest's training datasets by more than `row_tolerance`",
            ]
        return tuple(conditions)
