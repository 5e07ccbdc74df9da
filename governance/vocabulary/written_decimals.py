"""Numbers judged as they are written: a bound in a policy, a claim in a model card and a
figure in audit.json are decimals (`0.8`), and a float is only the nearest binary value to one
(0.8000000000000000444). Comparisons with exact fractions of counts take the decimal."""

from __future__ import annotations

from fractions import Fraction


def written_decimal(number: float) -> Fraction:
    """The shortest decimal that reads back as `number` (its `repr`), exactly: `0.8` is 4/5."""
    return Fraction(repr(number))
