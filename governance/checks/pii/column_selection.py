"""Which columns of a dataset a rule scans: name globs, minus exclusions."""

from __future__ import annotations

from fnmatch import fnmatchcase


def select_columns(
    columns: tuple[str, ...], patterns: tuple[str, ...], exclude: tuple[str, ...]
) -> tuple[tuple[str, ...], frozenset[str]]:
    """(the selected columns in table order, the patterns that matched at least one)."""
    matched: set[str] = set()
    selected = []
    for column in columns:
        hits = [p for p in patterns if fnmatchcase(column, p)]
        matched.update(hits)
        if hits and not any(fnmatchcase(column, p) for p in exclude):
            selected.append(column)
    return tuple(selected), frozenset(matched)
