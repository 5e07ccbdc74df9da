"""The `prediction_agreement:` block of a rule."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.config.validation import NAME_PATTERN, FrozenModel


class PredictionAgreementSpec(FrozenModel):
    kind: Literal["prediction_agreement"] = "prediction_agreement"
    dataset: Annotated[str, Field(pattern=NAME_PATTERN)]
    """A dataset with `from_model` and a `prediction:` column to compare with the model's."""
    max_disagreement: Annotated[float, Field(ge=0, le=1)] = 0.0
    """The largest share of rows on which the column may differ from the model (or be empty)."""

    def referenced_datasets(self) -> tuple[str, ...]:
        return (self.dataset,)
