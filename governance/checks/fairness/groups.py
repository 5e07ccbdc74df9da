"""Group hygiene: how groups are named, which are excluded from comparisons (too small, too
small a share, LL144's 2% rule), and which intersections are empty.

Group labels, as findings' `scope.group` and in tables:
- a group of one feature: `race_ethnicity=Black or African American`;
- an intersection: the same joined with ` & ` in the order of `sensitive_features`:
  `sex=Female & race_ethnicity=Black or African American`;
- a feature set (between-group findings): the feature names joined with ` & `:
  `sex & race_ethnicity`;
- rows with a missing or unknown value: `sex=(unknown)`, `sex & race_ethnicity=(unknown)`.
Waivers match these with globs, e.g. `group: "race_ethnicity=*"`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from governance.checks.fairness.counts import ConfusionCounts, FeatureSetCounts, GroupKey
from governance.vocabulary.bound_figures import figure_past

SEPARATOR = " & "
MAX_EMPTY_LISTED = 200
"""Empty intersections beyond this many are counted, not listed."""


def group_label(features: tuple[str, ...], key: GroupKey) -> str:
    pairs = zip(features, key, strict=True)
    return SEPARATOR.join(f"{feature}={value}" for feature, value in pairs)


def feature_set_label(features: tuple[str, ...]) -> str:
    return SEPARATOR.join(features)


def unknown_label(features: tuple[str, ...]) -> str:
    return f"{feature_set_label(features)}=(unknown)"


@dataclass(frozen=True)
class Exclusion:
    min_group_size: int
    """Applies to the rate's own denominator (actual positives for a true positive rate, ...):
    a group of many rows can hold only a handful of the cases its rate is taken over."""
    min_share: float
    """Applies to the group's share of all rows (LL144's 2% exclusion is about categories)."""

    def reason(
        self, counts: ConfusionCounts, trials: int, denominator: str, total_rows: int
    ) -> str | None:
        """Why a group is left out of the comparison of a rate taken over `trials` (named
        `denominator`), or None when it is compared. A group with none (its rate undefined)
        is not left out for its size: a rule that gates reports it as "cannot be judged"."""
        if 0 < trials < self.min_group_size:
            return f"{trials} {denominator}, under the minimum group size of {self.min_group_size}"
        if total_rows and (share := counts.rows / total_rows) < self.min_share:
            return (
                f"{figure_past(share, self.min_share, '.2%')} of the rows, under the minimum "
                f"share of {self.min_share:.2%}"
            )
        return None


def empty_intersections(feature_set: FeatureSetCounts) -> tuple[tuple[GroupKey, ...], int]:
    """Combinations of observed values with no row (listed up to `MAX_EMPTY_LISTED`) and their
    number. A single feature has none."""
    if len(feature_set.features) < 2:
        return (), 0
    values = [
        sorted({key[index] for key in feature_set.groups})
        for index in range(len(feature_set.features))
    ]
    possible = 1
    for column_values in values:
        possible *= len(column_values)
    missing = possible - len(feature_set.groups)
    if missing == 0:
        return (), 0
    listed = []
    for key in itertools.product(*values):
        if key not in feature_set.groups:
            listed.append(key)
            if len(listed) == MAX_EMPTY_LISTED:
                break
    return tuple(listed), missing
