"""How a rule names the datasets it applies to: a name, a glob, or a list of them; or, for a
rule that measures one dataset, a name or nothing when the manifest declares only one
evaluation dataset."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from governance.errors import CheckSkipped, InputError

if TYPE_CHECKING:
    from governance.data.engine import DataEngine

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


def the_rules_dataset(named: str | None, data: DataEngine, rule_kind: str) -> str:
    """The dataset a rule measuring one dataset reads: the one it names, else the manifest's
    only evaluation dataset (`rule_kind`, e.g. "fairness", says which rule in the error). A
    dataset with `role: training` is measured only when a rule names it: the data the model
    was trained on is not the data a bias audit or a performance floor judges it by."""
    if named is not None:
        return named
    datasets = {name: data.spec(name) for name in data.names()}
    if not datasets:
        raise CheckSkipped("the manifest declares no dataset")
    evaluated = tuple(name for name, spec in datasets.items() if spec.role == "evaluation")
    if not evaluated:
        raise InputError(
            f"a {rule_kind} rule names no dataset and the manifest declares only training "
            f"datasets ({', '.join(datasets)})",
            hint="add 'dataset:' to the rule to measure training data, or declare the "
            "evaluation dataset (the default role)",
        )
    if len(evaluated) > 1:
        raise InputError(
            f"a {rule_kind} rule names no dataset and the manifest declares {len(evaluated)} "
            f"evaluation datasets ({', '.join(evaluated)})",
            hint="add 'dataset:' to the rule (override a built-in rule with `override: true`)",
        )
    return evaluated[0]
