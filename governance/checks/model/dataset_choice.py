"""Which dataset a model rule measures: the one it names, else the manifest's only one."""

from __future__ import annotations

from governance.data.store import DatasetStore
from governance.errors import CheckSkipped, InputError


def measured_dataset(named: str | None, store: DatasetStore, sub_check: str) -> str:
    if named is not None:
        return named
    names = store.names()
    if not names:
        raise CheckSkipped("the manifest declares no dataset")
    if len(names) > 1:
        raise InputError(
            f"a model {sub_check} rule names no dataset and the manifest declares "
            f"{len(names)} ({', '.join(names)})",
            hint="add 'dataset:' to the rule (override a built-in rule with `override: true`)",
        )
    return names[0]


def require_columns(store: DatasetStore, name: str, columns: tuple[str, ...], role: str) -> None:
    """Every column exists in the dataset; the error names all the missing ones."""
    present = set(store.columns(name))
    missing = [column for column in columns if column not in present]
    if missing:
        listed = ", ".join(f"'{column}'" for column in missing)
        raise InputError(
            f"dataset '{name}' lacks {listed} (named as {role})",
            hint="declare the model's input features as the dataset's columns in "
            "'model.features', or add the columns to the dataset",
        )
