"""Tolerant matching of feature names: `Race-Ethnicity`, `raceEthnicity`, `race_ethnicity_Black`
(a one-hot column) and `onehot__race_ethnicity_Black` (a scikit-learn ColumnTransformer output)
all name the feature `race_ethnicity`."""

from __future__ import annotations

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_TRANSFORMER_PREFIX = "__"


def normalized_name(name: str) -> str:
    """Lower case, words joined by `_`: camelCase split, every other character a separator."""
    spaced = _CAMEL_BOUNDARY.sub("_", name.strip())
    return _SEPARATORS.sub("_", spaced.lower()).strip("_")


def names_feature(candidate: str, feature: str) -> bool:
    """Whether `candidate` (a model input) is `feature`, or a column encoded from it: the same
    words, or those words followed by a value (`race_ethnicity_Black`, `sex=Female`), after an
    optional `transformer__` prefix."""
    wanted = normalized_name(feature)
    if not wanted:
        return False
    forms = {candidate}
    if _TRANSFORMER_PREFIX in candidate:
        forms.add(candidate.split(_TRANSFORMER_PREFIX, 1)[1])
    for form in forms:
        words = normalized_name(form)
        if words == wanted or words.startswith(wanted + "_"):
            return True
    return False
