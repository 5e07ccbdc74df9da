"""How a rule names the datasets it applies to: a name, a glob, or a list of them; or, for a
rule that measures one dataset, a name or nothing when the manifest declares only one."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from governance.errors import CheckSkipped, InputError

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


def the_rules_dataset(named: str | None, names: tuple[str, ...], rule_kind: str) -> str:
    """The dataset a rule measuring one dataset reads: the one it names, else the manifest's
    only one (`rule_kind`, e.g. "fairness", says which rule in the error)."""
    if named is not None:
        return named
    if not names:
        raise CheckSkipped("the manifest declares no dataset")
    if len(names) > 1:
        raise InputError(
            f"a {rule_kind} rule names no dataset and the manifest declares {len(names)} "
            f"({', '.join(names)})",
            hint="add 'dataset:' to the rule (override a built-in rule with `override: true`)",
        )
    return names[0]
