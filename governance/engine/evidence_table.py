"""A plain table view of evidence, so every renderer can show any check's evidence."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

Cell = str | int | float | None


class EvidenceTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
