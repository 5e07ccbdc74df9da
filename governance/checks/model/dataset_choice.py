"""Which dataset a model rule measures: the one it names, else the manifest's only evaluation
dataset."""

from __future__ import annotations

from governance.checks.dataset_selection import the_rules_dataset
from governance.data.engine import DataEngine
from governance.errors import InputError


def measured_dataset(named: str | None, store: DataEngine, sub_check: str) -> str:
    return the_rules_dataset(named, store, f"model {sub_check}")


def require_columns(store: DataEngine, name: str, columns: tuple[str, ...], role: str) -> None:
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
