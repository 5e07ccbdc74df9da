"""The audit manifest (`audit.yaml`): what is audited. Paths are relative to the manifest, and
confined to its folder (and the folders the user allowed): see `config/confinement.py`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from governance.config.confinement import InputScope, PathRefused
from governance.config.validation import NAME_PATTERN, PATH_REFUSED, FrozenModel, parse_model
from governance.config.yaml_document import YamlDocument, YamlPath, load_yaml_document

DatasetFormat = Literal["csv", "parquet", "jsonl"]
MEMORY_PREFIX = "memory:"
"""How reports name a dataset passed in memory: `memory:NAME`."""


def _resolve(value: Any, info: ValidationInfo) -> Any:
    """A path as written -> the real path of the regular file it names, inside the scope the
    manifest was loaded with (a manifest built in code, without one, is taken as written)."""
    if not isinstance(value, str):
        return value  # the strict Path type refuses it
    if not value.strip():
        raise ValueError(f"'{info.field_name}' is empty")
    scope: InputScope | None = (info.context or {}).get("scope")
    if scope is None:
        return Path(value)
    try:
        return scope.confine(value)
    except PathRefused as refused:
        raise PydanticCustomError(
            PATH_REFUSED, "{reason}", {"reason": refused.reason, "hint": refused.hint}
        ) from None


SHA256_PATTERN = r"^[0-9a-f]{64}$"


class ModelOutputs(FrozenModel):
    """Which outputs of an ONNX graph hold the prediction and the score (needed when it has
    more than one)."""

    prediction: Annotated[str, Field(min_length=1)]
    score: Annotated[str, Field(min_length=1)] | None = None


class ModelSpec(FrozenModel):
    card: Path | None = None
    artifact: Path | None = None
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = None
    """The artifact's pinned sha256 (64 lowercase hex digits), checked before it is read."""
    features: (
        Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)] | None
    ) = None
    """The model's input features, in order; when absent, they are taken from the model."""
    trusted_types: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    """Types a skops file may load beyond skops' defaults (each reviewed, e.g.
    `sklearn.linear_model._logistic.LogisticRegression`); any other is refused."""
    allow_pickle: bool = False
    """Load a pickle or joblib file (it can run code): needs `sha256`, checked and scanned first."""
    outputs: ModelOutputs | None = None

    _resolve_paths = field_validator("card", "artifact", mode="before")(_resolve)

    @model_validator(mode="after")
    def _pickle_needs_pin(self) -> ModelSpec:
        if self.allow_pickle and self.sha256 is None:
            raise ValueError(
                "'allow_pickle' needs the artifact's 'sha256' pinned: a pickle runs code "
                "when loaded, so only the exact file reviewed may be"
            )
        return self

    @field_validator("features")
    @classmethod
    def _features_once(cls, features: tuple[str, ...] | None) -> tuple[str, ...] | None:
        listed = features or ()
        repeated = sorted({name for name in listed if listed.count(name) > 1})
        if repeated:
            raise ValueError(f"a feature is listed more than once: {', '.join(repeated)}")
        return features


class FromModel(FrozenModel):
    """Predictions (and scores, when the model gives them) computed by `model.artifact`,
    added to the dataset as these columns."""

    prediction: Annotated[str, Field(min_length=1)] = "model_prediction"
    score: Annotated[str, Field(min_length=1)] = "model_score"
    batch_rows: Annotated[int, Field(ge=1, le=1_000_000)] = 65_536
    """Rows scored at a time: memory holds one batch of the model's inputs."""


class DatasetSpec(FrozenModel):
    path: Path | None = None
    """None only when the dataset is passed in memory through the Python API."""
    format: DatasetFormat | None = None
    label: str | None = None
    positive_label: str | int | float | bool | None = None
    prediction: str | None = None
    score: str | None = None
    threshold: float | None = None
    sensitive_features: tuple[str, ...] = ()
    pii_columns: dict[str, str | tuple[str, ...]] = Field(default_factory=dict)
    """Columns that hold personal data on purpose, with the entity (or entities) declared."""
    datasheet: Path | None = None
    from_model: FromModel | None = None
    """Predictions and scores from `model.artifact` instead of columns (`prediction:`, when
    also declared, names a supplied column that agreement rules compare with the model's)."""

    _resolve_paths = field_validator("path", "datasheet", mode="before")(_resolve)

    @field_validator("from_model", mode="before")
    @classmethod
    def _from_model_shorthand(cls, value: Any) -> Any:
        return {} if value is True else value

    @model_validator(mode="after")
    def _model_columns_are_new(self) -> DatasetSpec:
        if self.from_model is not None:
            added = (self.from_model.prediction, self.from_model.score)
            if self.from_model.prediction == self.from_model.score:
                raise ValueError("'from_model' names the same column for prediction and score")
            taken = sorted(set(added) & {self.label, self.prediction, self.score} - {None})
            if taken:
                raise ValueError(
                    f"'from_model' would add column '{taken[0]}', which the dataset already "
                    "declares"
                )
        return self

    def with_model_columns(self, *, scored: bool) -> DatasetSpec:
        """This dataset as the checks read it once the model's columns are added: its
        prediction (and, when the model scored, its score) are the model's."""
        if self.from_model is None:
            return self
        update: dict[str, Any] = {"prediction": self.from_model.prediction}
        if scored:
            update["score"] = self.from_model.score
        else:
            update.update(score=None, threshold=None)
        return self.model_copy(update=update)

    @model_validator(mode="after")
    def _threshold_needs_score(self) -> DatasetSpec:
        if self.threshold is not None and self.score is None and self.from_model is None:
            raise ValueError("'threshold' needs a 'score' column")
        return self

    def declared_pii(self, column: str) -> tuple[str, ...]:
        declared = self.pii_columns.get(column, ())
        return (declared,) if isinstance(declared, str) else declared


class Manifest(FrozenModel):
    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=128)]
    description: str = ""
    model: ModelSpec = ModelSpec()
    datasets: dict[Annotated[str, Field(pattern=NAME_PATTERN)], DatasetSpec] = Field(
        default_factory=dict
    )
    policies: tuple[str, ...] = Field(min_length=1)
    waivers: Path | None = None
    nlp_model: Annotated[str, Field(min_length=1)] | None = None
    """An installed spaCy model (e.g. `en_core_web_lg`) the PII scanner uses for PERSON,
    LOCATION, NRP and ORGANIZATION; never downloaded."""

    _resolve_paths = field_validator("waivers", mode="before")(_resolve)


@dataclass(frozen=True)
class LoadedManifest:
    """A validated manifest with the file it came from."""

    path: Path
    manifest: Manifest
    document: YamlDocument
    scope: InputScope
    """Where the files it names, and the policies they extend, may be read from."""

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def display_path(self, path: Path) -> str:
        """`path` relative to the manifest's folder when inside it, for reports and errors."""
        try:
            shown = path.resolve().relative_to(self.scope.base).as_posix()
        except ValueError:
            return path.as_posix()
        # `memory:NAME` names a dataset passed in memory; a file so named must not pass for one
        return f"./{shown}" if shown.startswith(MEMORY_PREFIX) else shown


def load_manifest(
    path: Path, *, allowed: Iterable[Path] = (), in_memory: frozenset[str] = frozenset()
) -> LoadedManifest:
    """Load and validate `audit.yaml`; every referenced file must be a regular file inside the
    manifest's folder or one of the `allowed` folders.

    Datasets named in `in_memory` are supplied as frames through the Python API and need no
    path (a path they have is still checked, but not read); each must be in the manifest.
    """
    scope = InputScope.around(path, allowed)
    document = load_yaml_document(path, "audit manifest")
    if not isinstance(document.data, dict):
        raise document.error("the audit manifest must be a mapping of keys")
    manifest = parse_model(Manifest, document, context={"scope": scope})
    loaded = LoadedManifest(path=path, manifest=manifest, document=document, scope=scope)
    for name in sorted(in_memory - set(manifest.datasets)):
        known = ", ".join(manifest.datasets) or "none"
        raise document.error(
            f"datasets= passes dataset '{name}', which the manifest does not declare "
            f"(datasets: {known})",
            ("datasets",),
        )
    for name, dataset in manifest.datasets.items():
        if dataset.path is None and name not in in_memory:
            raise document.error(f"dataset '{name}' needs a 'path'", ("datasets", name))
    return loaded


def referenced_files(manifest: Manifest) -> Iterator[tuple[str, YamlPath, Path]]:
    """(role, where in the manifest, path) of every file the manifest names but itself."""
    for key, role in (("card", "model_card"), ("artifact", "model_artifact")):
        file = getattr(manifest.model, key)
        if file is not None:
            yield role, ("model", key), file
    for name, dataset in manifest.datasets.items():
        for key, role in (("path", "dataset"), ("datasheet", "datasheet")):
            file = getattr(dataset, key)
            if file is not None:
                yield role, ("datasets", name, key), file
    if manifest.waivers is not None:
        yield "waivers", ("waivers",), manifest.waivers
