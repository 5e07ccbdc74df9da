"""Whether a compared value breaks the rule: outside `min`/`max`, and, when the rule requires
it, significantly so."""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from governance.checks.fairness.spec import Compare, FairnessSpec
from governance.vocabulary.written_decimals import written_decimal


class _Judged(Protocol):
    @property
    def exclusion(self) -> str | None: ...

    @property
    def undefined_reason(self) -> str | None: ...


SIGNIFICANT_WITHIN = "within the threshold, but the difference is significant"
"""The note of a group that passes a rule requiring significance although its difference from
the comparison is significant."""


def judge_group(
    spec: FairnessSpec,
    group: _Judged,
    compared: Fraction | None,
    p_value: float | None,
    undefined: str | None,
) -> tuple[bool, str | None]:
    """Whether a compared group fails the rule's thresholds, and a note when that is not plain;
    `compared` is the group's value as an exact fraction of its counts. A rule that requires
    significance also notes a group within its thresholds whose difference is significant:
    the threshold is a rule of thumb (29 CFR 1607.4(D) counts such differences too), so its
    pass must not hide them."""
    if not spec.gates or spec.compare in (Compare.DIFFERENCE, Compare.RATIO):
        return False, None
    if group.exclusion is not None:
        return False, None
    if undefined is not None:
        return False, None  # reported once for the whole comparison
    if compared is None:
        return True, f"cannot be judged: {group.undefined_reason or 'undefined'}"
    if not outside_threshold(spec, compared):
        if spec.require_significance and p_value is not None and p_value < spec.significance_level:
            return False, f"{SIGNIFICANT_WITHIN} (p = {p_value:.3g})"
        return False, None
    if spec.require_significance and (p_value is None or p_value >= spec.significance_level):
        shown = "not tested" if p_value is None else f"p = {p_value:.3g}"
        return False, f"outside the threshold but not significant ({shown})"
    return True, None


def outside_threshold(spec: FairnessSpec, value: Fraction) -> bool:
    """Whether an exact `value` is under `min` or over `max`, each taken as the decimal the
    policy wrote (`0.8` is 4/5): a value exactly on a bound meets it."""
    return (spec.min is not None and value < written_decimal(spec.min)) or (
        spec.max is not None and value > written_decimal(spec.max)
    )
