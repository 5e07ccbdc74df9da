"""How a rule names the datasets it applies to: a name, a glob, or a list of them."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

DatasetSelector = str | tuple[str, ...]

_GLOB_CHARACTERS = frozenset("*?[")


def selector_patterns(selector: DatasetSelector) -> tuple[str, ...]:
    return (selector,) if isinstance(selector, str) else selector


def explicit_dataset_names(selector: DatasetSelector) -> tuple[str, ...]:
    """The names in a selector that are not globs: each must exist in the manifest."""
    return tuple(p for p in selector_patterns(selector) if not _GLOB_CHARACTERS & set(p))


def select_datasets(selector: DatasetSelector, names: Iterable[str]) -> tuple[str, ...]:
    """The manifest's dataset names the selector matches, in manifest order."""
    patterns = selector_patterns(selector)
    return tuple(name for name in names if any(fnmatchcase(name, p) for p in patterns))
