"""Seeded samples drawn under a rising hash threshold, the same way on every engine.

A sample of `size` values is the values with the smallest seeded hash
(`governance.data.engine.seeded_hash`). Rather than order every distinct value by its hash,
an engine gathers those under a threshold that should leave about four times `size` of them
(from the number of distinct values known or estimated), and raises the threshold sixteenfold
for a column where too few were under it. The result is the same as ordering every value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

HASH_SPACE = 2**128
"""The seeded hash's values: 0 up to this, exclusive."""
EVERY_HASH = HASH_SPACE - 1
"""The threshold every value is under."""


def threshold_for(share: float) -> int:
    """The hash under which about `share` of the values fall (all of them from 1 up)."""
    return EVERY_HASH if share >= 1 else int(HASH_SPACE * share)


def under_rising_thresholds(
    distinct: Mapping[K, int],
    size: int,
    per_query: int,
    below: Callable[[tuple[K, ...], list[int]], list[list[T]]],
) -> dict[K, list[T]]:
    """Per key (a column), what `below` found under the first threshold at which it found
    more than `size` values, or under `EVERY_HASH` (then all of them). `distinct` gives each
    key's number of distinct values (an estimate will do); `below(keys, thresholds)` returns,
    for at most `per_query` keys at once, up to `size + 1` values whose hash is at most each
    key's threshold, smallest hash first."""
    shares = {key: 4 * (size + 1) / max(count, 1) for key, count in distinct.items()}
    found: dict[K, list[T]] = {}
    pending = tuple(distinct)
    while pending:
        retry: list[K] = []
        for start in range(0, len(pending), per_query):
            chunk = pending[start : start + per_query]
            thresholds = [threshold_for(shares[key]) for key in chunk]
            for key, threshold, values in zip(
                chunk, thresholds, below(chunk, thresholds), strict=True
            ):
                if len(values) > size or threshold == EVERY_HASH:
                    found[key] = values
                else:
                    shares[key] *= 16
                    retry.append(key)
        pending = tuple(retry)
    return found
