"""Values under a seeded-hash threshold, the way both PII samples are drawn on Spark (the
distinct samples and the candidates): each distinct value is digested once, the values whose
hash is at most the threshold are gathered by one aggregate, and the driver orders those few by
the reference hash (`governance.data.engine.seeded_hash`), then by value.

Spark neither shares a subexpression inside a CASE nor keeps a filter from copying the
expression it tests: written inline, the hash's 16 hex pairs took 16 MD5s of every row (and a
filter on it 16 more). Here the digest is a column of its own projection, which Spark does not
merge into the next since that would repeat it, and the threshold is tested on the hash's top
32 bits: a threshold rounded up to the end of its 32-bit prefix keeps every value under it.
"""

from __future__ import annotations

from governance.data.engine import seeded_hash
from governance.data.spark import expressions as sql

_PREFIX_BYTES = 4


def hashed(values: str, seed: int, *, where: str = "true") -> str:
    """The rows of the statement `values` (a column `v` of distinct texts, and any other
    columns) with `h`, their seeded hash's top 32 bits as hex digits, NULL where the condition
    `where` (over those columns) is not true: only those values are digested."""
    digest = sql.seeded_digest("v", seed)
    digested = f"SELECT *, CASE WHEN {where} THEN {digest} END AS governance_d FROM ({values})"
    return f"SELECT *, {sql.little_endian('governance_d', _PREFIX_BYTES)} AS h FROM ({digested})"


def collected_below(threshold: int) -> str:
    """The aggregate gathering the values `v` of a `hashed` statement whose hash is at most
    `threshold` (and a few above it, up to the end of its 32-bit prefix)."""
    prefix = threshold >> (128 - 8 * _PREFIX_BYTES)
    return f"collect_list(v) FILTER (WHERE h <= '{prefix:0{2 * _PREFIX_BYTES}x}')"


def in_hash_order(values: list[str], seed: int) -> list[str]:
    """`values` by seeded hash, then by value (code points, which order as UTF-8 bytes)."""
    return sorted(values, key=lambda v: (seeded_hash(v, seed), v))
