"""Plain views of evidence, so every renderer can show any check's evidence: tables of cells,
and bar charts of one value per label (per-group rates, per-column hit rates)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.output_text import Identifier, Prose

Cell = str | int | float | None


class EvidenceTable(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    title: Prose
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


class ChartBar(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    label: Identifier
    value: float | None
    """None when the value is undefined for this label (drawn as a gap, labelled)."""
    flagged: bool = False
    """Drawn in the failure colour: the label that breaks the rule."""
    excluded: bool = False
    """Left out of the comparison (too small a group): drawn in grey and marked so."""


class EvidenceChart(BaseModel, DocumentedFields):
    """A horizontal bar chart with an optional reference line (a threshold)."""

    model_config = ConfigDict(frozen=True)

    title: str
    value_label: str
    bars: tuple[ChartBar, ...]
    reference: float | None = None
    reference_label: str = ""
