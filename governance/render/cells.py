"""Evidence table cells as text, the same in every report format."""

from __future__ import annotations

from governance.vocabulary.evidence_table import Cell


def cell_text(cell: Cell) -> str:
    """A table cell as text: '—' for no value, numbers to four significant digits."""
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return "undefined"
        return f"{cell:.4g}" if abs(cell) < 10_000 else f"{cell:,.0f}"
    if isinstance(cell, int):
        return f"{cell:,}" if abs(cell) >= 10_000 else str(cell)
    return cell
