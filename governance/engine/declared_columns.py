"""Every column the manifest names for a dataset is one of the dataset's columns, checked once
before any rule runs. Rules check the columns they read, but a misspelt column no rule reads
(a `label` when only selection rates are compared, a `pii_columns` entry, which then allows
nothing) would otherwise pass unnoticed."""

from __future__ import annotations

from collections.abc import Iterator

from governance.config.suggestions import did_you_mean, listed_names
from governance.config.yaml_document import YamlPath
from governance.data.engine import DataEngine
from governance.errors import InputError
from governance.manifest import DatasetSpec, LoadedManifest


def check_declared_columns(manifest: LoadedManifest, data: DataEngine) -> None:
    """Raise `InputError` at the manifest key naming a column its dataset lacks, with the
    closest column name and the dataset's columns (names only, never a value)."""
    for name, spec in manifest.manifest.datasets.items():
        declared = list(_declared_columns(spec))
        if not declared:
            continue
        present = data.columns(name)
        for key, column, role in declared:
            if column not in present:
                raise InputError(
                    f"dataset '{name}' has no column '{column}' ({role})"
                    + did_you_mean(column, present),
                    location=manifest.document.locate(("datasets", name, *key)),
                    hint=_remap(key) + f"its columns are: {listed_names(present)}",
                )


def _declared_columns(spec: DatasetSpec) -> Iterator[tuple[YamlPath, str, str]]:
    """(key under the dataset, column, what the manifest declares it as), in the file's order."""
    for role in ("label", "prediction", "score"):
        column = getattr(spec, role)
        if column is not None:
            yield (role,), column, f"declared as its {role}"
    features = spec.sensitive_features
    if isinstance(features, dict):
        for feature, column in features.items():
            role = f"sensitive_features maps '{feature}' to it"
            yield ("sensitive_features", feature), column, role
    else:
        for index, column in enumerate(features):
            yield ("sensitive_features", index), column, "named as a sensitive feature"
    for column in spec.pii_columns:
        yield ("pii_columns", column), column, "declared in pii_columns"


def _remap(key: YamlPath) -> str:
    """The fix for a mapped sensitive feature: the role is the pack's, the column is ours."""
    if key[0] == "sensitive_features" and isinstance(key[1], str):
        return f"map '{key[1]}' to one of its columns; "
    return ""
