"""The audit manifest (`audit.yaml`): what is audited. Paths are relative to the manifest, and
confined to its folder (and the folders the user allowed): see `config/confinement.py`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from governance.config.confinement import InputScope, PathRefused
from governance.config.suggestions import closest
from governance.config.validation import (
    NAME_PATTERN,
    PATH_REFUSED,
    FrozenModel,
    error_at_key,
    parse_model,
)
from governance.config.yaml_document import YamlDocument, YamlPath, load_yaml_document
from governance.errors import InputError, SourceLocation

DatasetFormat = Literal["csv", "parquet", "jsonl", "delta"]
DatasetEngine = Literal["duckdb", "spark"]
SPARK_ONLY_FORMATS = frozenset({"delta"})
TABLE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$"
"""A catalog table as `table`, `database.table` or `catalog.database.table` (plain identifiers:
no quoting, so a name can never be read as anything but a table)."""
URI_PATTERN = r"^(s3a|s3|gs|abfs|abfss|wasbs|hdfs|dbfs)://[^\s]+$"
"""A location a Spark cluster reads (object stores and HDFS); never `file:`, which is this
machine's disk and is named with `path:` (confined like every input)."""
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
ColumnName = Annotated[str, Field(min_length=1)]


class ModelOutputs(FrozenModel):
    """Which outputs of an ONNX graph hold the prediction and the score (needed when it has
    more than one)."""

    prediction: Annotated[str, Field(min_length=1)]
    """The name of the graph output holding the predicted class."""
    score: Annotated[str, Field(min_length=1)] | None = None
    """The name of the graph output holding class probabilities, if any."""


class ModelSpec(FrozenModel):
    """The model audited: its card and, optionally, its artifact."""

    card: Path | None = None
    """The model card (Markdown, optionally with YAML front matter) the documentation rules
    read."""
    artifact: Path | None = None
    """The model file; hashed into the audit."""
    technical_documentation: Path | None = None
    """The system's technical documentation (Markdown), which documentation rules on
    `technical_documentation` read (the model card stands in for it when absent)."""
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
    """For an ONNX graph with several outputs: which holds the prediction and which the score."""

    _resolve_paths = field_validator("card", "artifact", "technical_documentation", mode="before")(
        _resolve
    )

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
    """The column the model's predictions are added as."""
    score: Annotated[str, Field(min_length=1)] = "model_score"
    """The column the model's scores (the positive class's probability) are added as."""
    batch_rows: Annotated[int, Field(ge=1, le=1_000_000)] = 65_536
    """Rows scored at a time: memory holds one batch of the model's inputs."""


def _resolve_data_path(value: Any, info: ValidationInfo) -> Any:
    """A dataset's `path`: a regular file as every input, or for Spark (which reads a folder of
    Parquet parts or a Delta table as one dataset) a folder, confined in the same scope."""
    if not isinstance(value, str):
        return value
    scope: InputScope | None = (info.context or {}).get("scope")
    if scope is None or not value.strip():
        return _resolve(value, info)
    try:
        return scope.confine_tree(value)
    except PathRefused as refused:
        raise PydanticCustomError(
            PATH_REFUSED, "{reason}", {"reason": refused.reason, "hint": refused.hint}
        ) from None


MASTER_PATTERN = r"^(local(\[(\*|[1-9][0-9]{0,3})\])?|yarn|(spark|k8s|sc)://[^\s]+)$"
ALLOWED_SPARK_CONF = frozenset(
    {
        "spark.sql.shuffle.partitions",
        "spark.default.parallelism",
        "spark.sql.adaptive.enabled",
        "spark.sql.files.maxPartitionBytes",
        "spark.sql.session.timeZone",
        "spark.executor.memory",
        "spark.executor.cores",
        "spark.executor.instances",
        "spark.driver.memory",
        "spark.driver.maxResultSize",
        "spark.sql.execution.arrow.maxRecordsPerBatch",
        "spark.app.name",
    }
)
"""The Spark settings a manifest may make: sizes, parallelism and names. Others are refused: a
manifest may come from an untrusted pull request, and settings such as `spark.jars`,
`spark.driver.extraJavaOptions` or `spark.*.extraClassPath` run code of its choosing."""


class SparkSettings(FrozenModel):
    """The Spark session of the datasets with `engine: spark` (the command line's
    `--spark-master` and the environment's `SPARK_REMOTE` / `GOVERNANCE_SPARK_MASTER` come
    first)."""

    master: Annotated[str, Field(pattern=MASTER_PATTERN)] | None = None
    """Where Spark runs: `local[*]` (the default), a cluster master URL (`spark://host:7077`,
    `yarn`, `k8s://...`) or a Spark Connect server (`sc://host:15002`); a cluster only if the
    command line allows it (`--spark-allow-uri`)."""
    conf: dict[str, str] = Field(default_factory=dict)
    """Session settings, among the allowed ones (sizes and parallelism); see the README."""

    @field_validator("conf")
    @classmethod
    def _allowed_settings(cls, conf: dict[str, str]) -> dict[str, str]:
        for key in conf:
            if key not in ALLOWED_SPARK_CONF:
                raise error_at_key(
                    key,
                    f"Spark setting '{key}' may not be set from a manifest",
                    hint="allowed: " + ", ".join(sorted(ALLOWED_SPARK_CONF)),
                )
        return conf


def _true_or_settings(schema: dict[str, Any]) -> None:
    """`from_model: true` is the shorthand for the default settings: the schema says so."""
    schema["anyOf"].insert(0, {"const": True})


class DatasetSpec(FrozenModel):
    """A dataset, by the name rules refer to: its file, its outcome columns, its sensitive
    features and its declared personal data."""

    path: Path | None = None
    """The data file (CSV, Parquet or JSON Lines); left out only for a dataset passed in memory
    through the Python API. With `engine: spark` also a folder (Parquet parts, a Delta table)."""
    format: DatasetFormat | None = None
    """The file's format, when its extension does not say it (`delta` with `engine: spark`)."""
    engine: DatasetEngine = "duckdb"
    """What reads and counts the dataset: `duckdb` in this process (the default), or `spark`
    (the session of the manifest's `spark:` block)."""
    table: Annotated[str, Field(pattern=TABLE_PATTERN, max_length=256)] | None = None
    """With `engine: spark`: a table of the Spark catalog (`db.table`) instead of a path."""
    uri: Annotated[str, Field(pattern=URI_PATTERN, max_length=2048)] | None = None
    """With `engine: spark`: a location the cluster reads (`s3a://bucket/prefix`,
    `hdfs://...`), allowed only under a prefix the command line allows (`--spark-allow-uri`)."""
    label: str | None = None
    """The column of true outcomes (hired, approved, ...), which error rates compare against."""
    positive_label: str | int | float | bool | None = None
    """The label and prediction value that means selected; defaults to 1 / true for a 0-1 /
    boolean column."""
    prediction: str | None = None
    """The column of the model's decisions."""
    score: str | None = None
    """The column of the model's scores (also gives LL144 scoring rates)."""
    threshold: float | None = None
    """With `score`: a score at or above it counts as selected."""
    sensitive_features: tuple[ColumnName, ...] | dict[ColumnName, ColumnName] = ()
    """The columns holding sensitive attributes: a list (`[sex, race]`), or a mapping from the
    names rules use (a pack's roles, such as `builtin:nyc-ll144`'s `sex` and `race_ethnicity`)
    to this dataset's columns (`{sex: gender, race_ethnicity: race}`)."""
    unknown_values: tuple[str, ...] = ()
    """Values of the sensitive features that mean "unknown" in this dataset (`["?", "N/A"]`),
    compared trimmed and case-insensitively: counted as unknown, never compared as a group
    (beside missing and empty values and each rule's own `unknown_values`)."""
    pii_columns: dict[str, str | tuple[str, ...]] = Field(default_factory=dict)
    """Columns that hold personal data on purpose, with the entity (or entities) declared."""
    datasheet: Path | None = None
    """The dataset's datasheet (Markdown), which documentation rules on datasheets read."""
    croissant: Path | None = None
    """The dataset's Croissant metadata (JSON-LD) with its Responsible-AI properties, which
    documentation rules on Croissant files and declarations rules read."""
    role: Literal["evaluation", "training"] = "evaluation"
    """What the dataset is to the model: `evaluation` (the default), data the model is audited
    on, or `training`, the data it was trained on, which declarations rules compare with the
    model card's `datasets` and stated training data size."""
    id: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    """The dataset's published identifier (`acme/applicants-2025`), as the model card's front
    matter `datasets` names it; the dataset's name here when left out."""
    from_model: Annotated[FromModel | None, Field(json_schema_extra=_true_or_settings)] = None
    """Predictions and scores from `model.artifact` instead of columns (`prediction:`, when
    also declared, names a supplied column that agreement rules compare with the model's)."""

    _resolve_paths = field_validator("datasheet", "croissant", mode="before")(_resolve)
    _resolve_data_path = field_validator("path", mode="before")(_resolve_data_path)

    @model_validator(mode="after")
    def _source_fits_engine(self) -> DatasetSpec:
        if self.engine != "spark":
            if self.table is not None or self.uri is not None:
                key = "table" if self.table is not None else "uri"
                raise error_at_key(key, f"'{key}' needs 'engine: spark'")
            if self.format in SPARK_ONLY_FORMATS:
                raise error_at_key("format", f"'format: {self.format}' needs 'engine: spark'")
            if self.path is not None and self.path.is_dir():
                raise error_at_key("path", f"'{self.path.name}' is a folder, not a data file")
            return self
        given = [key for key in ("path", "table", "uri") if getattr(self, key) is not None]
        if len(given) > 1:
            both = " and ".join(given)
            raise error_at_key(given[1], f"give one of 'path', 'table' or 'uri', not {both}")
        if self.format is not None and self.table is not None:
            raise error_at_key("format", "a table's format is the catalog's: leave 'format' out")
        folder = self.path is not None and self.path.is_dir()
        if self.format is None and (self.uri is not None or folder):
            raise error_at_key(
                "format", "a folder or URI needs 'format: parquet', 'csv' or 'delta'"
            )
        if self.format == "jsonl":
            raise error_at_key("format", "'engine: spark' reads parquet, csv or delta")
        return self

    @field_validator("sensitive_features", mode="before")
    @classmethod
    def _list_or_mapping(cls, value: Any) -> Any:
        """Checked here, item by item, so that a mistake is named in one sentence rather than
        once per form of the union."""
        if isinstance(value, dict):
            if any(not isinstance(key, str) or not key.strip() for key in value):
                raise ValueError("'sensitive_features' maps from an empty name")
            named = {f"sensitive_features.{key}": column for key, column in value.items()}
        elif isinstance(value, list | tuple):
            named = {f"sensitive_features[{i}]": column for i, column in enumerate(value)}
        else:
            raise ValueError(
                "'sensitive_features' must be a list of columns ([sex, race]) or a mapping of "
                "the names rules use to columns ({sex: gender, race_ethnicity: race})"
            )
        for key, column in named.items():
            if not isinstance(column, str) or not column:
                raise ValueError(f"'{key}' must be a column name (non-empty text)")
        return value

    @field_validator("sensitive_features")
    @classmethod
    def _each_column_once(
        cls, value: tuple[str, ...] | dict[str, str]
    ) -> tuple[str, ...] | dict[str, str]:
        columns = list(value.values()) if isinstance(value, dict) else list(value)
        repeated = sorted({column for column in columns if columns.count(column) > 1})
        if repeated:
            raise ValueError(f"a column is named more than once: {', '.join(repeated)}")
        return value

    @field_validator("unknown_values")
    @classmethod
    def _unknown_values_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not marker.strip() for marker in value):
            raise ValueError(
                "'unknown_values' holds an empty value (empty values are always unknown)"
            )
        return value

    @property
    def sensitive_columns(self) -> tuple[str, ...]:
        """The columns declared as sensitive features, in the order written."""
        features = self.sensitive_features
        return tuple(features.values()) if isinstance(features, dict) else features

    def sensitive_column(self, name: str) -> str:
        """The column a rule's sensitive feature `name` is read from: the one the mapping
        gives it, else the column of that name."""
        features = self.sensitive_features
        return features.get(name, name) if isinstance(features, dict) else name

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
    """What is audited: the model, the datasets, the policies to apply and the waivers.
    Paths are relative to the manifest and stay inside its folder."""

    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=128)]
    """The audit's name; it also names the default report folder."""
    description: str = ""
    """What is audited and why, shown in the reports."""
    model: ModelSpec = ModelSpec()
    """The model audited."""
    datasets: dict[Annotated[str, Field(pattern=NAME_PATTERN)], DatasetSpec] = Field(
        default_factory=dict
    )
    """The datasets, by the name rules refer to."""
    policies: tuple[str, ...] = Field(min_length=1)
    """The policies to apply: files (relative to the manifest) or built-in packs as
    `builtin:NAME`."""
    waivers: Path | None = None
    """The waivers file: approved, expiring exceptions to rules."""
    nlp_model: Annotated[str, Field(min_length=1)] | None = None
    """An installed spaCy model (e.g. `en_core_web_lg`) the PII scanner uses for PERSON,
    LOCATION, NRP and ORGANIZATION; never downloaded."""
    spark: SparkSettings | None = None
    """The Spark session of the datasets with `engine: spark`: its master and settings."""

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
    if os.path.islink(path):  # it may come from the pull request as the files it names do
        try:
            scope.confine(Path(os.path.abspath(path)))
        except PathRefused as refused:
            raise InputError(
                f"the audit manifest is a symbolic link: {refused.reason}",
                location=SourceLocation(path),
                hint=refused.hint,
            ) from None
    if not os.path.lexists(path):
        raise InputError(
            "audit manifest not found" + _manifest_meant(path),
            location=SourceLocation(path),
            hint="name the manifest (governance audit path/to/audit.yaml), or write one with "
            "governance init",
        )
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
        sources = (dataset.path, dataset.table, dataset.uri)
        if all(source is None for source in sources) and name not in in_memory:
            needed = "'path', 'table' or 'uri'" if dataset.engine == "spark" else "a 'path'"
            raise document.error(f"dataset '{name}' needs {needed}", ("datasets", name))
    return loaded


def referenced_files(manifest: Manifest) -> Iterator[tuple[str, YamlPath, Path]]:
    """(role, where in the manifest, path) of every file the manifest names but itself."""
    for key, role in (
        ("card", "model_card"),
        ("artifact", "model_artifact"),
        ("technical_documentation", "technical_documentation"),
    ):
        file = getattr(manifest.model, key)
        if file is not None:
            yield role, ("model", key), file
    for name, dataset in manifest.datasets.items():
        for key in ("path", "datasheet", "croissant"):
            role = "dataset" if key == "path" else key
            file = getattr(dataset, key)
            if file is not None:
                yield role, ("datasets", name, key), file
    if manifest.waivers is not None:
        yield "waivers", ("waivers",), manifest.waivers


def _manifest_meant(path: Path) -> str:
    """` (did you mean 'audit.yml'?)` for the YAML file beside the missing one whose name is
    closest."""
    try:
        entries = islice(path.parent.iterdir(), 1000)  # a huge folder is not listed whole
        names = [p.name for p in entries if p.suffix in (".yaml", ".yml")]
    except OSError:
        return ""
    close = closest(path.name, names)
    return f" (did you mean '{path.with_name(close).as_posix()}'?)" if close else ""
