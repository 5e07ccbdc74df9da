"""Normalised mutual information from a contingency table of counts, with the formulas of
scikit-learn's `mutual_info_score`, `_entropy` and `normalized_mutual_info_score` (natural
logarithms), so the value agrees with `normalized_mutual_info_score(sensitive, feature,
average_method=...)` on the same (binned) values.

NMI(X, S) = I(X; S) / mean(H(X), H(S)), the mean chosen by `Normalization` (arithmetic by
default, as in scikit-learn). scikit-learn's conventions are kept: 0 when I = 0, 1 when both
sides hold a single value. The check itself never calls this with a sensitive feature of one
value (see `proxies.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from governance.checks.model.spec import Normalization

if TYPE_CHECKING:  # numpy is imported when a proxy table is measured, not with the registry
    import numpy as np


def mutual_information(cells: Mapping[tuple[object, object], int]) -> float:
    """I(X; S) in nats, from counts keyed by (feature value, sensitive value)."""
    import numpy as np

    table, rows, columns = _arrays(cells)
    total = float(table.sum())
    outer = rows[table.nonzero()[0]] * columns[table.nonzero()[1]]
    counts = table[table.nonzero()]
    share = counts / total
    log_outer = -np.log(outer) + math.log(rows.sum()) + math.log(columns.sum())
    terms = share * (np.log(counts) - math.log(total)) + share * log_outer
    terms = np.where(np.abs(terms) < np.finfo(terms.dtype).eps, 0.0, terms)
    return float(np.clip(terms.sum(), 0.0, None))


def entropy(counts: np.ndarray) -> float:
    """H in nats of a distribution given by counts."""
    import numpy as np

    present = counts[counts > 0].astype(np.float64)
    if present.size <= 1:
        return 0.0
    total = present.sum()
    return float(-np.sum((present / total) * (np.log(present) - math.log(total))))


def normalized_mutual_information(
    cells: Mapping[tuple[object, object], int], normalization: Normalization
) -> tuple[float, float]:
    """(NMI, mutual information in nats) of the table."""
    table, rows, columns = _arrays(cells)
    if (rows.size == columns.size == 1) or (rows.size == columns.size == 0):
        return 1.0, 0.0
    information = mutual_information(cells)
    if information == 0:
        return 0.0, 0.0
    first, second = entropy(rows), entropy(columns)
    match normalization:
        case Normalization.ARITHMETIC:
            scale = (first + second) / 2
        case Normalization.GEOMETRIC:
            scale = math.sqrt(first * second)
        case Normalization.MIN:
            scale = min(first, second)
        case Normalization.MAX:
            scale = max(first, second)
    return information / scale, information


def _arrays(
    cells: Mapping[tuple[object, object], int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dense table (feature values x sensitive values) and its margins, as float64."""
    import numpy as np

    present = {key: count for key, count in cells.items() if count > 0}
    # Sorted, as scikit-learn's contingency table is: the sums then run in one order whatever
    # the order the engine returned the cells in, so the same counts give the same last digit.
    first = {x: i for i, x in enumerate(sorted({x for x, _ in present}, key=_order))}
    second = {s: j for j, s in enumerate(sorted({s for _, s in present}, key=_order))}
    table = np.zeros((len(first), len(second)), dtype=np.float64)
    for (x, s), count in present.items():
        table[first[x], second[s]] += count
    return table, table.sum(axis=1), table.sum(axis=0)


def _order(value: object) -> tuple[bool, str]:
    """Categories in a stable order: by their text, a missing value (None) last."""
    return (value is None, str(value))
