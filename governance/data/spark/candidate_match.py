"""Whether a value could hold one of some entities, as a Spark SQL condition: the candidate
patterns (`governance.data.candidate_patterns`, written for RE2 and Java alike) as Java runs
them, selecting exactly the values DuckDB's RE2 selects."""

from __future__ import annotations

from governance.data.candidate_patterns import candidate_regex

UNIX_LINES = "(?d)"
"""Java's `.` stops at five line terminators (`\\n`, `\\r`, U+0085, U+2028, U+2029), RE2's at
`\\n` alone: in UNIX_LINES mode Java's stops at `\\n` alone too (`@.*[.]` on `a@b\\r.c`)."""


def java_regex(entities: tuple[str, ...]) -> str:
    """The candidate expression of `entities` as Java reads it with RE2's meaning."""
    return UNIX_LINES + candidate_regex(entities)


def candidate_condition(entities: tuple[str, ...], text: str) -> tuple[str, dict[str, str]]:
    """(SQL true where the text expression `text` matches one of `entities`' patterns, its
    named parameters)."""
    return f"{text} RLIKE :candidate_pattern", {"candidate_pattern": java_regex(entities)}
