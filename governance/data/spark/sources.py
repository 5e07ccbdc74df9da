"""A manifest's Spark source (a catalog table, or a Parquet, CSV or Delta path or URI) as a
DataFrame, and every way Spark can fail to read it as one `InputFileError` naming the manifest
line. Reading is lazy: nothing but the schema (and, for CSV, the inference pass) runs here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from governance.data.spark.allowance import HADOOP_GLOB, is_allowed
from governance.data.spark.delta_log import names_outside
from governance.errors import InputFileError, SourceLocation
from governance.manifest import DatasetSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Locate = Callable[[str, str], SourceLocation | None]
"""(dataset, key) -> where the manifest writes that key of that dataset."""

_EXTENSIONS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv"}
_MISSING_TABLE = frozenset(
    {
        "TABLE_OR_VIEW_NOT_FOUND",
        "SCHEMA_NOT_FOUND",
        "CATALOG_NOT_FOUND",
        # `catalog.db.table` when `catalog` is no catalog: Spark reads it as a namespace.
        "REQUIRES_SINGLE_PART_NAMESPACE",
    }
)
_MISSING_SOURCE = frozenset({"DATA_SOURCE_NOT_FOUND"})
_UNREADABLE = ("PATH_NOT_FOUND", "UNABLE_TO_INFER", "FAILED_READ", "CANNOT_READ", "FAILED_EXECUTE")


def source_key(spec: DatasetSpec) -> str:
    """The manifest key that names the dataset's source."""
    return "table" if spec.table is not None else "uri" if spec.uri is not None else "path"


def source_format(spec: DatasetSpec) -> str:
    if spec.format is not None:
        return spec.format
    assert spec.path is not None
    return _EXTENSIONS.get(spec.path.suffix.lower(), "parquet")


def describe_source(spec: DatasetSpec) -> str:
    if spec.table is not None:
        return f"Spark table '{spec.table}'"
    return f"'{spec.uri or spec.path}'"


def read_source(
    session: SparkSession,
    name: str,
    spec: DatasetSpec,
    locate: Locate,
    allowed_uris: tuple[str, ...],
) -> DataFrame:
    """The dataset `name` as a DataFrame (lazy), or an `InputFileError` at its manifest line."""
    where = locate(name, source_key(spec))
    if spec.uri is not None and not is_allowed(spec.uri, allowed_uris):
        raise InputFileError(
            f"dataset '{name}' names URI '{spec.uri}', which the command line does not allow",
            location=where,
            hint="allow its prefix with --spark-allow-uri PREFIX (allowed_uris= in the Python "
            "API), a whole path without '..' or a glob: a manifest may come from an untrusted "
            "pull request",
        )
    with reading(name, spec, locate):
        if spec.table is not None:
            return session.table(spec.table)
        file_format = source_format(spec)
        location = spec.uri if spec.uri is not None else _local_location(name, spec, locate)
        if file_format == "csv":
            return _read_csv(session, location, spec)
        return session.read.format(file_format).load(location)


def _local_location(name: str, spec: DatasetSpec, locate: Locate) -> str:
    """The confined path as Hadoop reads it: `file://` and the path as it is (Hadoop quotes
    it itself: a percent-encoded URI would name `My%20Audits`, not `My Audits`), refused when
    Hadoop would read it as a pattern of files (which could match files never confined)."""
    assert spec.path is not None
    if spec.format == "delta" and names_outside(spec.path):
        raise InputFileError(
            f"dataset '{name}': the Delta log of '{spec.path.name}' names files outside its "
            "folder, which the audit does not read",
            location=locate(name, "path"),
            hint="the log's data files must be relative paths inside the table's folder",
        )
    path = spec.path.resolve().as_posix()
    if any(character in HADOOP_GLOB for character in path):
        raise InputFileError(
            f"dataset '{name}': Spark reads a path holding any of * ? [ ] {{ }} \\ as a "
            "pattern of files, not as the one path confined",
            location=locate(name, "path"),
            hint="rename the file or the folders above it without these characters",
        )
    return f"file://{path}"


def _read_csv(session: SparkSession, location: str, spec: DatasetSpec) -> DataFrame:
    """A CSV file typed as DuckDB's reader types it: numbers inferred (whole numbers as BIGINT,
    which DuckDB's sniffer picks where Spark picks INTEGER), and the columns that name groups
    or hold declared personal data kept as text as written (`02139` stays `02139`)."""
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    delimiter = "\t" if location.lower().endswith(".tsv") else ","
    options = {"header": "true", "sep": delimiter, "multiLine": "true", "escape": '"'}
    inferred = session.read.options(inferSchema="true", **options).csv(location).schema
    text = {*spec.sensitive_columns, *spec.pii_columns}
    fields = []
    for field in inferred.fields:
        data_type = field.dataType
        if field.name in text:
            data_type = StringType()
        elif isinstance(data_type, IntegerType):
            data_type = LongType()
        fields.append(StructField(field.name, data_type, nullable=True))
    return session.read.options(**options).schema(StructType(fields)).csv(location)


@contextmanager
def reading(name: str, spec: DatasetSpec, locate: Locate) -> Iterator[None]:
    """Spark's failures to find or read the source, as one `InputFileError` naming the manifest
    line (the message quotes no data: Spark's own text can hold a row)."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JJavaError, PySparkException) as error:
        condition = _condition(error)
        if condition in _MISSING_TABLE:
            raise InputFileError(
                f"dataset '{name}': {describe_source(spec)} does not exist in the catalog",
                location=locate(name, "table"),
            ) from None
        if condition in _MISSING_SOURCE:
            raise InputFileError(
                f"dataset '{name}': Spark has no reader for format '{source_format(spec)}' "
                "(Delta Lake is not installed on this cluster)",
                location=locate(name, "format"),
                hint="install Delta Lake on the cluster (its jars and "
                "spark.sql.extensions), or convert the table to Parquet",
            ) from None
        if isinstance(error, PySparkException) and not (
            condition is None or condition.startswith(_UNREADABLE)
        ):
            raise
        # A failure to read (a file that is not what its format says, an I/O error), named
        # by its error class or the Java exception's class: their text may quote the data.
        raise InputFileError(
            f"dataset '{name}': Spark could not read {describe_source(spec)} "
            f"({condition or _java_class(error)})",
            location=locate(name, source_key(spec)),
        ) from None


def _java_class(error: Exception) -> str:
    java = getattr(error, "java_exception", None)
    return str(java.getClass().getSimpleName()) if java is not None else type(error).__name__


def _condition(error: Exception) -> str | None:
    """The Spark error class of a pyspark error, or of the Java exception behind a py4j one."""
    source = getattr(error, "java_exception", error)
    for method in ("getCondition", "getErrorClass"):
        try:
            value = getattr(source, method)()
        except Exception:  # noqa: S112 - not a SparkThrowable: it has no error class
            continue
        if value:
            return str(value)
    return None
