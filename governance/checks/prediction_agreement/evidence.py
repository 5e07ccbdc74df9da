"""What the agreement check counted."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.evidence_table import EvidenceChart, EvidenceTable
from governance.vocabulary.output_text import FileName, Identifier


class PredictionAgreementEvidence(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    kind: Literal["prediction_agreement"] = "prediction_agreement"
    dataset: Identifier
    column: Identifier
    """The recorded prediction column."""
    model_column: Identifier
    """The column of the model's predictions."""
    model_artifact: FileName
    model_sha256: str
    rows: int
    missing: int
    """Rows where the recorded column is empty (counted as disagreeing)."""
    disagreeing: int
    """Rows where the recorded column differs from the model or is empty."""
    max_disagreement: float

    @property
    def disagreement(self) -> float:
        return self.disagreeing / self.rows if self.rows else 0.0

    def tables(self) -> tuple[EvidenceTable, ...]:
        return (
            EvidenceTable(
                title=f"{self.column} against the model ({self.model_artifact})",
                columns=("rows", "disagreeing", "of which empty", "share", "max share"),
                rows=(
                    (
                        self.rows,
                        self.disagreeing,
                        self.missing,
                        round(self.disagreement, 6),
                        self.max_disagreement,
                    ),
                ),
            ),
        )

    def charts(self) -> tuple[EvidenceChart, ...]:
        return ()
