"""Which columns a rule's sensitive features are read from. A rule (often a shared pack's)
names features by role, such as `builtin:nyc-ll144`'s `sex` and `race_ethnicity`; the
manifest's dataset maps each role to one of its columns (`sensitive_features: {sex: gender}`),
or names its columns as they are. A missing column is the manifest's to fix, so the error
points at the manifest line first (the engine adds the rule's own place after it)."""

from __future__ import annotations

from governance.checks.fairness.spec import FairnessSpec
from governance.config.suggestions import did_you_mean, listed_names
from governance.config.yaml_document import YamlPath
from governance.errors import InputError
from governance.manifest import DatasetSpec, LoadedManifest


def resolve_features(spec: FairnessSpec, dataset: DatasetSpec, name: str) -> dict[str, str]:
    """Each sensitive feature the rule compares, as the name it is known by (the rule's, or the
    dataset's column) -> the column it is read from, in order."""
    if spec.sensitive_features is None:
        if not dataset.sensitive_features:
            raise InputError(
                f"dataset '{name}' declares no sensitive_features and the rule names none",
                hint="add 'sensitive_features:' to the dataset in the manifest or to the rule",
            )
        return {column: column for column in dataset.sensitive_columns}
    roles = {role: dataset.sensitive_column(role) for role in spec.sensitive_features}
    columns = list(roles.values())
    twice = sorted({column for column in columns if columns.count(column) > 1})
    if twice:
        raise InputError(
            f"the rule's sensitive_features read column '{twice[0]}' of dataset '{name}' "
            "twice (one name is mapped to a column another names)",
            hint="name each sensitive attribute once",
        )
    return roles


def unknown_markers(spec: FairnessSpec, dataset: DatasetSpec) -> tuple[str, ...]:
    """The values taken as unknown: the rule's and the dataset's."""
    return tuple(dict.fromkeys((*spec.unknown_values, *dataset.unknown_values)))


def require_columns(
    columns: tuple[str, ...],
    roles: dict[str, str],
    dataset: DatasetSpec,
    name: str,
    manifest: LoadedManifest | None,
) -> None:
    """Every feature's column is in the dataset, else an error at the manifest line to change."""
    for role, column in roles.items():
        if column in columns:
            continue
        mapped = isinstance(dataset.sensitive_features, dict) and role in dataset.sensitive_features
        if mapped:
            message = (
                f"dataset '{name}' has no column '{column}' (sensitive_features maps "
                f"'{role}' to it)" + did_you_mean(column, columns)
            )
            hint = f"map '{role}' to one of its columns; its columns are: {listed_names(columns)}"
            at: YamlPath = ("datasets", name, "sensitive_features", role)
        else:
            message = (
                f"dataset '{name}' has no column '{column}' (named as a sensitive feature)"
                + did_you_mean(column, columns)
            )
            hint = (
                f"if another column holds '{role}', map it in the manifest (sensitive_features: "
                f"{{{role}: COLUMN, ...}}); its columns are: {listed_names(columns)}"
            )
            declared = bool(dataset.sensitive_features)
            at = ("datasets", name, "sensitive_features") if declared else ("datasets", name)
        location = manifest.document.locate(at) if manifest else None
        raise InputError(message, location=location, hint=hint)
