"""Whether a value could hold one of some entities, as a Spark SQL condition: the candidate
patterns (`governance.data.candidate_patterns`) as Java's regular expressions read them."""

from __future__ import annotations

from governance.data.candidate_patterns import candidate_regex


def candidate_condition(entities: tuple[str, ...], text: str) -> tuple[str, dict[str, str]]:
    """(SQL true where the text expression `text` matches one of `entities`' patterns, its
    named parameters)."""
    return f"{text} RLIKE :candidate_pattern", {"candidate_pattern": candidate_regex(entities)}
