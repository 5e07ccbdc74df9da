"""The `prediction_agreement:` block of a rule."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.config.validation import NAME_PATTERN, FrozenModel


class PredictionAgreementSpec(FrozenModel):
    """The recorded prediction column of a dataset scored by the model (`from_model`) agrees
    with the audited model's own predictions on the same rows: a stale column is a finding."""

    kind: Literal["prediction_agreement"] = "prediction_agreement"
    dataset: Annotated[str, Field(pattern=NAME_PATTERN)]
    """A dataset with `from_model` and a `prediction:` column to compare with the model's."""
    max_disagreement: Annotated[float, Field(ge=0, le=1)] = 0.0
    """The largest share of rows on which the column may differ from the model (or be empty)."""

    def referenced_datasets(self) -> tuple[str, ...]:
        return (self.dataset,)

    @property
    def gates(self) -> bool:
        """Always: a recorded column that disagrees with the model beyond the limit fails."""
        return True

    def failure_conditions(self) -> tuple[str, ...]:
        limit = (
            "on any row"
            if self.max_disagreement == 0
            else f"on more than {self.max_disagreement:.2%} of the rows"
        )
        return (
            f"dataset {self.dataset}'s prediction column differs from the audited model's "
            f"predictions (or is empty) {limit}",
        )
