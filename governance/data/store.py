"""The datasets of one audit, opened in an in-process DuckDB database on first use.

A Parquet file is queried in place: each query reads only the columns it names (Parquet is
columnar, and its column chunks are read at their compressed size), so a rule that needs 4 of
20 columns never decodes the other 16. A text file (CSV, JSONL) is parsed once into a table,
whatever the number of rules that query it: parsing is most of the cost of reading text, and
each query in place would parse the whole file again. `benchmarks/README.md` has the
measurements behind this choice. In-memory frames (pandas, pyarrow, polars) passed through the
Python API are queried where they are (copied once when very wide).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from governance.data.column_types import SHORT_TEXT_LENGTH, has_short_text
from governance.data.engine import (
    AgreementCounts,
    CandidateValues,
    ColumnProfile,
    ConfusionCell,
    ConfusionRequest,
    ContentDigest,
    DataQueryFailed,
    DistinctSample,
    FeatureCounts,
    ProxyRequest,
    RankCounts,
    Spread,
    TypedColumn,
    Value,
)
from governance.data.format_sniffing import (
    SPREADSHEET_EXPORT,
    check_content_matches,
    csv_delimiter,
)
from governance.data.hash_thresholds import under_rising_thresholds
from governance.data.read_errors import describe_read_error
from governance.errors import CheckCannotRun, InputError, InputFileError, SourceLocation
from governance.manifest import DatasetSpec

if TYPE_CHECKING:
    # The engine is imported when a store is built: a command that only reads policies or
    # names a type from here does not pay for DuckDB and Arrow.
    import duckdb
    import pyarrow

    from governance.data.candidates import CandidateSelector
    from governance.data.engine import DataEngine, DatasetScorer

# The delimiter is fixed by the extension and `skip` by us rather than sniffed: faced with
# ragged rows the sniffer silently settles on "one column", or on skipping the header and the
# first rows (DuckDB 2.0), where we want an error naming the line. Lines up to 64 MB
# are accepted (huge cells are data, truncated by the checks that read them).
_REGISTER_MAX_COLUMNS = 200
"""In-memory frames up to this width are queried in place; wider ones are copied once."""

_READERS = {
    "csv": "read_csv({path}, header = true, delim = {delimiter}, skip = 0, "
    "max_line_size = 67108864, compression = 'none'{types})",
    "parquet": "read_parquet({path})",
    "jsonl": "read_json({path}, format = 'newline_delimited', compression = 'none')",
}
"""Text files are read as they are, never decompressed (DuckDB would by a `.gz` or `.zst`
name): a few kilobytes of gzip can unpack to gigabytes of rows loaded into memory."""
_SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".numbers"})
_IN_PLACE = frozenset({"parquet"})
"""Formats queried in place (a view over the reader) rather than loaded into a table."""
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_SHORT_TABLE_ROWS = 10_000
"""Up to this many rows, many columns are read in one unpivoted query (a query's fixed cost
dominates on wide, short tables); above it, one pass per chunk of columns or per column."""
_COLUMNS_PER_QUERY = 1000
_WIDE_AGGREGATE_COLUMNS = 200
_SAMPLED_COLUMNS_PER_QUERY = 64
"""Columns sampled in one statement on a large table (one UNION ALL branch each)."""
T = TypeVar("T")


def dataset_format(spec: DatasetSpec) -> str:
    if spec.format is not None:
        return spec.format
    assert spec.path is not None
    suffix = spec.path.suffix.lower()
    if suffix in _SPREADSHEETS:
        raise InputFileError(
            f"'{spec.path.name}' is a spreadsheet, which is not read as a dataset",
            location=SourceLocation(spec.path),
            hint=SPREADSHEET_EXPORT,
        )
    if suffix not in _EXTENSIONS:
        raise InputFileError(
            f"cannot tell the format of '{spec.path.name}' from its extension",
            location=SourceLocation(spec.path),
            hint="add 'format: csv', 'format: parquet' or 'format: jsonl' to the dataset",
        )
    return _EXTENSIONS[suffix]


class DatasetStore:
    """The DuckDB engine of the data interface (`DataEngine`): datasets by name, each loaded on
    first use (`table(name)` returns its relation)."""

    def __init__(
        self,
        datasets: Mapping[str, DatasetSpec],
        frames: Mapping[str, Any] | None = None,
        scorer: DatasetScorer | None = None,
    ):
        self._specs = dict(datasets)
        self._frames = dict(frames or {})
        self._scorer = scorer
        self._base: dict[str, str] = {}
        """The table (or registered frame) of each dataset as read, before model columns."""
        self._scoring_failed: dict[str, CheckCannotRun] = {}
        import duckdb

        self._connection = duckdb.connect(":memory:")
        # DuckDB draws its own progress bar on long queries, even with --quiet and in CI logs;
        # the CLI's progress is the CLI's to show.
        self._connection.execute("SET enable_progress_bar = false")
        self._confine_to(self._specs.values())
        self._loaded: dict[str, str] = {}
        self._type_cache: dict[str, dict[str, str]] = {}
        self._row_counts: dict[str, int] = {}
        # Profiles and samples depend only on the data and their arguments: every PII rule of
        # an audit asks for the same ones, which on a 5,000-column file cost seconds each time.
        self._profiles: dict[tuple[str, str, int], ColumnProfile] = {}
        self._samples: dict[tuple[str, str, int, int, int], DistinctSample] = {}
        self._candidates: dict[tuple[object, ...], CandidateValues] = {}
        # So do the fairness rules' looks at their columns: every rule on a dataset reads the
        # same label's and prediction's values (a scan of every row) and the same spread.
        self._present: dict[tuple[object, ...], dict[str, list[Value]]] = {}
        self._spreads: dict[tuple[object, ...], dict[str, Spread]] = {}
        self._selector: CandidateSelector | None = None
        self._lock = threading.Lock()

    def _confine_to(self, specs: Iterable[DatasetSpec]) -> None:
        """DuckDB opens only the datasets' files, as each reader names them: every statement
        is built around quoted names and parameters, and should one still carry text of a
        manifest or a data file into SQL, `read_text('/etc/passwd')`, `COPY ... TO`, `ATTACH`
        or `INSTALL` are refused (a permission error), and these settings cannot be changed
        back on this connection."""
        allowed = sorted({str(spec.path) for spec in specs if spec.path is not None})
        self._connection.execute(f"SET allowed_paths = [{', '.join(map(_literal, allowed))}]")
        self._connection.execute("SET enable_external_access = false")

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._connection

    def spec(self, name: str) -> DatasetSpec:
        """The dataset as checks read it: with `from_model`, its prediction and score name the
        columns the model adds (the model is loaded; the dataset is scored when a check first
        reads a table that holds them: `table`, `column_types`, `query`)."""
        spec = self._specs[name]
        if spec.from_model is None:
            return spec
        return self._model_scorer(name).planned_spec(spec)

    def names(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def in_memory(self, name: str) -> bool:
        """Whether the dataset was passed as a frame rather than read from its file."""
        return name in self._frames

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """The dataset as a DuckDB relation over a table loaded once for this audit."""
        return self._connection.table(self._table_name(name))

    def columns(self, name: str) -> tuple[str, ...]:
        """The dataset's own columns (without those the model adds)."""
        return tuple(self._connection.table(self._base_table(name)).columns)

    def row_count(self, name: str) -> int:
        if name not in self._row_counts:
            table = _quote(self._base_table(name))
            # fetchall, not fetchone: a result left unfinished makes DuckDB refuse the next
            # relation read on this connection (a frame's digest, the model's scoring)
            ((count,),) = self._run(name, f"SELECT count(*) FROM {table}")
            self._row_counts[name] = int(count)
        return self._row_counts[name]

    def column_types(self, name: str) -> dict[str, str]:
        """DuckDB's type of each column (VARCHAR, BIGINT, DOUBLE, BLOB, STRUCT(...), ...), the
        model's columns included."""
        return self._types(self._table_name(name))

    def _types(self, table: str) -> dict[str, str]:
        # Kept: a dataset's types do not change during an audit, and asking again binds the
        # file's reader again (a Parquet footer read) for every rule.
        if table not in self._type_cache:
            self._type_cache[table] = self._read_types(table)
        return dict(self._type_cache[table])

    def _read_types(self, table: str) -> dict[str, str]:
        rows = self._connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return {str(column): str(data_type) for column, data_type in rows}

    def profile_columns(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, ColumnProfile]:
        """Non-null and over-long value counts per column (as text cut at `max_length`)."""
        missing = tuple(c for c in columns if (name, c, max_length) not in self._profiles)
        with _values_withheld():
            self._profile(name, missing, max_length)
        return {c: self._profiles[(name, c, max_length)] for c in columns}

    def _profile(self, name: str, missing: tuple[str, ...], max_length: int) -> None:
        if missing:
            types = self._types(self._base_table(name))
            if self.row_count(name) <= _SHORT_TABLE_ROWS:
                counts = self._unpivoted_counts(name, missing, max_length)
            else:
                counts = self._column_counts(name, missing, max_length)
            for c in missing:
                profile = ColumnProfile(c, types[c], *counts.get(c, (0, 0, 0)))
                self._profiles[(name, c, max_length)] = profile

    def distinct_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        """Up to `size` distinct non-null values of each column, as text cut at `max_length`
        characters: those with the smallest seeded hash, so the same data and seed give the
        same sample whatever the row order or the number of threads."""
        missing = tuple(
            p for p in profiles if (name, p.column, size, seed, max_length) not in self._samples
        )
        if missing:
            with _values_withheld():
                if self.row_count(name) <= _SHORT_TABLE_ROWS:
                    found = self._unpivoted_samples(name, missing, size, seed, max_length)
                else:
                    found = self._hashed_samples(name, missing, size, seed, max_length)
            for column, sample in found.items():
                self._samples[(name, column, size, seed, max_length)] = sample
        return {p.column: self._samples[(name, p.column, size, seed, max_length)] for p in profiles}

    def candidate_values(
        self,
        name: str,
        profile: ColumnProfile,
        entities: tuple[str, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> CandidateValues:
        """The values of a column that could hold one of `entities`, every row checked by the
        engine (see `governance.data.candidates`)."""
        key = (name, profile.column, entities, size, seed, max_length)
        if key not in self._candidates:
            with _values_withheld():
                self._candidates[key] = self._candidate_selector().select(
                    _quote(self._base_table(name)),
                    profile.column,
                    entities,
                    text=self._cut_text(name, profile.column, max_length),
                    size=size,
                    seed=seed,
                    distinct_estimate=profile.distinct_estimate,
                    rows=profile.non_null,
                )
        return self._candidates[key]

    def distinct_count(self, name: str, column: str, max_length: int) -> int:
        """The exact number of distinct non-null values of `column` as text cut at
        `max_length` characters (counted once per column, often by its candidate pass)."""
        with _values_withheld():
            return self._candidate_selector().distinct_count(
                _quote(self._base_table(name)), self._cut_text(name, column, max_length)
            )

    def _candidate_selector(self) -> CandidateSelector:
        from governance.data.candidates import CandidateSelector

        if self._selector is None:
            self._selector = CandidateSelector(self._connection, _quote)
        return self._selector

    def _cut_text(self, name: str, column: str, max_length: int) -> str:
        """`column` as text cut at `max_length` code points. The cut is left out when the
        column's profile found no longer value: `left` counts code points, which on sentences
        cost more than matching the candidate patterns."""
        profile = self._profiles.get((name, column, max_length))
        if profile is not None and profile.too_long == 0:
            return _as_text(column)
        return f"left({_as_text(column)}, {int(max_length)})"

    def _unpivoted_counts(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, tuple[int, int, int]]:
        counts: dict[str, tuple[int, int, int]] = {}
        for chunk in _chunks(columns, _COLUMNS_PER_QUERY):
            rows = self._run(
                name,
                f"SELECT col, count(*), count(*) FILTER (WHERE length(v) > {int(max_length)}), "
                f"approx_count_distinct(v) FROM ({self._unpivot(name, chunk, None)}) GROUP BY col",
            )
            counts.update({col: (int(n), int(long), int(d)) for col, n, long, d in rows})
        return counts

    def _column_counts(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, tuple[int, int, int]]:
        counts: dict[str, tuple[int, int, int]] = {}
        table = _quote(self._base_table(name))
        types = self._types(self._base_table(name))
        for chunk in _chunks(columns, _WIDE_AGGREGATE_COLUMNS):
            parts = ", ".join(
                f"count({_quote(c)}), {_longer_count(c, types[c], max_length)}, "
                f"approx_count_distinct({_quote(c)})"
                for c in chunk
            )
            (row,) = self._run(name, f"SELECT {parts} FROM {table}")
            for index, column in enumerate(chunk):
                n, long, distinct = row[3 * index : 3 * index + 3]
                counts[column] = (int(n), int(long), int(distinct))
        return counts

    def _unpivoted_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        from governance.data.candidates import seeded_hash_sql

        values: dict[str, list[str]] = {p.column: [] for p in profiles}
        distinct: dict[str, int] = {}
        columns = tuple(p.column for p in profiles)
        for chunk in _chunks(columns, _COLUMNS_PER_QUERY):
            cells = self._unpivot(name, chunk, max_length)
            query = (
                f"WITH uniq AS (SELECT DISTINCT col, v FROM ({cells})) "
                "SELECT col, v, n FROM (SELECT col, v, count(*) OVER (PARTITION BY col) AS n, "
                f"row_number() OVER (PARTITION BY col ORDER BY {seeded_hash_sql('v', seed)}, v) "
                "AS rank "
                "FROM uniq) WHERE rank <= ? ORDER BY col, rank"
            )
            for column, value, count in self._run(name, query, [size]):
                values[column].append(value)
                distinct[column] = int(count)
        return {
            c: DistinctSample(tuple(v), distinct.get(c, 0) <= size, distinct.get(c, 0))
            for c, v in values.items()
        }

    def _hashed_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        """Per column, the `size` smallest hashes among the values whose hash is under a
        threshold that should leave about four times `size` of them (from the distinct
        estimate); raised for a column until enough are found. The threshold spares DuckDB a
        hash table of every distinct value of a large column, and the result is the same as
        without it. Several columns go in one statement (a UNION ALL of one branch per
        column): DuckDB runs the branches side by side, where one statement per column ran one
        column at a time on tables of a row group or two."""
        found = under_rising_thresholds(
            {p: p.distinct_estimate for p in profiles},
            size,
            _SAMPLED_COLUMNS_PER_QUERY,
            lambda chunk, thresholds: self._below_thresholds(
                name, chunk, thresholds, size, seed, max_length
            ),
        )
        samples: dict[str, DistinctSample] = {}
        for profile, rows in found.items():
            complete = len(rows) <= size
            values = tuple(rows[:size])
            samples[profile.column] = DistinctSample(
                values, complete, len(values) if complete else None
            )
        return {p.column: samples[p.column] for p in profiles}

    def _below_thresholds(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        thresholds: list[int],
        size: int,
        seed: int,
        max_length: int,
    ) -> list[list[str]]:
        """For each column, up to `size + 1` distinct values (as text cut at `max_length`)
        whose seeded hash is at most its threshold, smallest hash first (ties by value)."""
        table = _quote(self._base_table(name))
        branches: list[str] = []
        parameters: list[object] = []
        for index, (profile, threshold) in enumerate(zip(profiles, thresholds, strict=True)):
            text = self._cut_text(name, profile.column, max_length)
            values = _under_threshold(text, profile, table, seed, threshold)
            branches.append(f"(SELECT {index} AS i, v, h FROM {values} ORDER BY h, v LIMIT ?)")
            parameters.append(size + 1)
        query = f"SELECT i, v FROM ({' UNION ALL '.join(branches)}) ORDER BY i, h, v"
        found: list[list[str]] = [[] for _ in profiles]
        for index, value in self._run(name, query, parameters):
            found[index].append(value)
        return found

    def _unpivot(self, name: str, columns: tuple[str, ...], max_length: int | None) -> str:
        """`columns` as (col, v) text rows, nulls dropped (UNPIVOT's default)."""

        def text(c: str) -> str:
            return _as_text(c) if max_length is None else f"left({_as_text(c)}, {int(max_length)})"

        texts = ", ".join(f"{text(c)} AS {_quote(c)}" for c in columns)
        return (
            f"UNPIVOT (SELECT {texts} FROM {_quote(self._base_table(name))}) "
            "ON COLUMNS(*) INTO NAME col VALUE v"
        )

    def distinct_batches(
        self, name: str, column: str, batch_size: int, max_length: int
    ) -> Iterator[list[str]]:
        """Every distinct non-null value of `column` as text cut at `max_length` characters,
        in batches, in sorted order (so reports built from them are reproducible): memory on
        the Python side is bounded by one batch (DuckDB spills to disk when the distinct set
        outgrows its memory limit)."""
        text = self._cut_text(name, column, max_length)
        with _values_withheld(), self._reading(name):
            result = self._connection.execute(
                f"SELECT DISTINCT {text} AS v FROM {_quote(self._base_table(name))} "
                f"WHERE {_quote(column)} IS NOT NULL ORDER BY v"
            )
            while batch := result.fetchmany(batch_size):
                yield [row[0] for row in batch]

    def in_memory_digest(self, name: str) -> ContentDigest:
        """The digest of the dataset passed in memory as `name`, over the canonical Arrow
        serialisation of what DuckDB reads from the frame (see `frame_digest.py`)."""
        from governance.data.frame_digest import BATCH_ROWS, arrow_stream_sha256

        table = quote_identifier(self._base_table(name))
        with self._lock:
            reader = self._connection.sql(f"SELECT * FROM {table}").to_arrow_reader(BATCH_ROWS)
            return ContentDigest(*arrow_stream_sha256(reader))

    def value_spread(
        self, name: str, columns: tuple[str, ...], first_rows: int
    ) -> dict[str, Spread]:
        from governance.data.fairness_queries import spread_of_first_rows

        key = (name, columns, first_rows)
        if key not in self._spreads:
            self._spreads[key] = spread_of_first_rows(self, name, columns, first_rows)
        return dict(self._spreads[key])

    def present_values(
        self, name: str, columns: Mapping[str, str], limit: int
    ) -> dict[str, list[Value]]:
        from governance.data.fairness_queries import present_values

        key = (name, tuple(columns.items()), limit)
        if key not in self._present:
            self._present[key] = present_values(self, name, columns, limit)
        return {column: list(values) for column, values in self._present[key].items()}

    def confusion_counts(self, name: str, request: ConfusionRequest) -> tuple[ConfusionCell, ...]:
        from governance.data.fairness_queries import confusion_cells

        return confusion_cells(self, name, request)

    def proxy_counts(self, name: str, request: ProxyRequest) -> dict[str, FeatureCounts]:
        from governance.data.proxy_counts import proxy_counts

        return proxy_counts(self, name, request)

    def rank_counts(
        self, name: str, label: TypedColumn, positive: Value, score: TypedColumn
    ) -> RankCounts:
        from governance.data.rank_counts import rank_counts

        return rank_counts(self, name, label, positive, score)

    def agreement_counts(self, name: str, recorded: str, predicted: str) -> AgreementCounts:
        from governance.data.agreement_counts import agreement_counts

        return agreement_counts(self, name, recorded, predicted)

    def query(
        self, name: str, sql: Callable[[str], str], parameters: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """For this engine's own query modules (not part of `DataEngine`): run the statement
        `sql(table)` builds around the dataset's quoted table name, with `?` parameters (values
        from policies are always passed as parameters, never spliced into the SQL).

        The table name goes in while the statement is built, beside the column names, and
        nothing is substituted afterwards: a column named `{dataset}` (or anything else) stays
        an identifier and can never be reinterpreted as SQL."""
        statement = sql(quote_identifier(self._table_name(name)))
        with self._lock:
            return self._run(name, statement, parameters)

    def each_record_batch(
        self,
        name: str,
        sql: Callable[[str], str],
        parameters: Sequence[object],
        batch_rows: int,
        consume: Callable[[pyarrow.RecordBatch], None],
    ) -> None:
        """For this engine's own query modules (not part of `DataEngine`): run `sql(table)` as
        `query` does and hand its result to `consume` in Arrow record
        batches of at most `batch_rows` rows, one at a time: memory holds one batch."""
        statement = sql(quote_identifier(self._table_name(name)))
        with self._lock, self._reading(name):
            relation = self._connection.sql(statement, params=list(parameters))
            for batch in relation.to_arrow_reader(batch_rows):
                consume(batch)

    def _run(
        self, name: str, statement: str, parameters: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """Every row of `statement`, a failure to read the dataset's file an input error."""
        with self._reading(name):
            return self._connection.execute(statement, list(parameters)).fetchall()

    @contextmanager
    def _reading(self, name: str) -> Iterator[None]:
        """A file queried in place is read while a check's query runs: a damaged part of it
        (a corrupt page deep in a Parquet file) is then found there, and is the same clear
        input error naming the file as when it is found while opening it, never an errored
        rule."""
        import duckdb

        try:
            yield
        except duckdb.Error as error:
            spec = self._specs.get(name)
            if name in self._frames or spec is None or spec.path is None:
                raise
            file_format = dataset_format(spec)
            if file_format not in _IN_PLACE or not _reading_failure(error):
                raise
            raise _read_failure(name, spec, file_format, error) from None

    def close(self) -> None:
        self._connection.close()

    def _table_name(self, name: str) -> str:
        """The table checks query, loading (and scoring) it on first use (without building a
        relation, which costs a bind of every column)."""
        with self._lock:
            if name in self._scoring_failed:
                raise self._scoring_failed[name]
            if name not in self._loaded:
                self._loaded[name] = self._with_model_columns(name, self._read(name))
            return self._loaded[name]

    def _base_table(self, name: str) -> str:
        """The dataset's table as read, without the model's columns: what PII scans and
        profiles see, and what a frame's digest is taken over."""
        with self._lock:
            return self._read(name)

    def _read(self, name: str) -> str:
        if name not in self._base:
            self._base[name] = self._load(name)
        return self._base[name]

    def _with_model_columns(self, name: str, table: str) -> str:
        """The table checks query: `table` itself, or with `from_model` a copy holding the
        model's predictions too (a model that fails while scoring fails every rule that reads
        the dataset, as errored)."""
        spec = self._specs[name]
        if spec.from_model is None:
            return table
        from governance.data.model_columns import add_model_columns

        scorer = self._model_scorer(name)
        try:
            return add_model_columns(self._connection, table, name, spec, scorer)
        except CheckCannotRun as failed:
            self._scoring_failed[name] = failed
            raise

    def _model_scorer(self, name: str) -> DatasetScorer:
        """The scorer of a dataset with `from_model`; an audit that loads no model has none."""
        if self._scorer is None:
            raise InputError(
                f"dataset '{name}' asks for predictions from the model, which this audit does "
                "not load"
            )
        return self._scorer

    def _load_frame(self, name: str, table: str) -> str:
        import duckdb

        frame = self._frames[name]
        try:
            if len(getattr(frame, "columns", ())) <= _REGISTER_MAX_COLUMNS:
                # Registered without a copy: a narrow frame re-binds in microseconds.
                self._connection.register(table, frame)
                return table
            # Copied into a table once: DuckDB re-binds a registered frame on every query,
            # which costs ~0.25 s per query on a 5,000-column frame.
            view = f"{table}_frame"
            self._connection.register(view, frame)
            self._connection.execute(f'CREATE TABLE "{table}" AS SELECT * FROM "{view}"')
            self._connection.unregister(view)
            return table
        except duckdb.InvalidInputException:  # not a frame at all (a list, a dict, ...)
            raise InputError(
                f"datasets= passes a {type(frame).__name__} for dataset '{name}'",
                hint="pass a pandas, polars or pyarrow frame",
            ) from None

    def _load(self, name: str) -> str:
        import duckdb

        table = f"dataset_{len(self._base)}"
        if name in self._frames:
            return self._load_frame(name, table)
        spec = self._specs[name]
        if spec.path is None:
            raise InputError(f"dataset '{name}' has no path and no in-memory frame")
        file_format = dataset_format(spec)
        check_content_matches(spec.path, file_format)
        kind = "VIEW" if file_format in _IN_PLACE else "TABLE"
        try:
            reader = self._reader(spec, file_format)
            self._connection.execute(f"CREATE {kind} {_quote(table)} AS SELECT * FROM {reader}")
        except duckdb.Error as error:
            raise _read_failure(name, spec, file_format, error) from None
        return table

    def _reader(self, spec: DatasetSpec, file_format: str) -> str:
        """The DuckDB reader of the dataset's file. In a CSV file, the columns that name groups
        (the sensitive features) and the declared identifiers are read as text as written: the
        sniffer would read a column of only `F` as BOOLEAN false and `02139` as 2139."""
        assert spec.path is not None
        text: tuple[str, ...] = ()
        if file_format == "csv":
            header = self._csv_header(spec.path, csv_delimiter(spec.path))
            wanted = dict.fromkeys((*spec.sensitive_columns, *spec.pii_columns))
            text = tuple(c for c in wanted if c in header)
        return file_reader(spec.path, file_format, text_columns=text)

    def _csv_header(self, path: Path, delimiter: str) -> tuple[str, ...]:
        """The column names of a CSV file (what the sniffer reads of its first rows)."""
        found = self._connection.execute(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(?, header = true, "
            "delim = ?, skip = 0, max_line_size = 67108864, compression = 'none'))",
            [str(path), delimiter],
        ).fetchall()
        return tuple(str(column) for (column,) in found)


def file_reader(path: Path, file_format: str, *, text_columns: Sequence[str] = ()) -> str:
    """The DuckDB table function that reads the data file `path` as every audit reads it (a
    view cannot hold `?` parameters, so the path goes in as a quoted literal); in a CSV file the
    `text_columns` are read as text as written."""
    types = ""
    if file_format == "csv" and text_columns:
        listed = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in text_columns)
        types = f", types = {{{listed}}}"
    return _READERS[file_format].format(
        path=_literal(str(path)), delimiter=_literal(csv_delimiter(path)), types=types
    )


def _read_failure(name: str, spec: DatasetSpec, file_format: str, error: Exception) -> InputError:
    assert spec.path is not None
    return InputFileError(
        f"dataset '{name}' could not be read as {file_format}: "
        f"{describe_read_error(error, spec.path, file_format)}",
        location=SourceLocation(Path(spec.path)),
    )


def _reading_failure(error: Exception) -> bool:
    """Whether a query failed reading its file (an I/O error, data the reader rejects, or the
    bare error DuckDB raises on a damaged Parquet page) rather than on the query itself (a
    binder or conversion error, which is the check's to report)."""
    import duckdb

    return type(error) is duckdb.Error or isinstance(
        error, duckdb.IOException | duckdb.InvalidInputException
    )


@contextmanager
def _values_withheld() -> Iterator[None]:
    """DuckDB's failure while reading column values, as `DataQueryFailed`: its text may quote
    the data."""
    import duckdb

    try:
        yield
    except duckdb.Error as error:
        raise DataQueryFailed(
            f"reading column values failed ({type(error).__name__}; details withheld "
            "because they may quote the data)"
        ) from None


def _under_threshold(
    text: str, profile: ColumnProfile, table: str, seed: int, threshold: int
) -> str:
    """The distinct non-null values `v` of the text expression `text` over the profiled column
    whose seeded hash `h` is at most `threshold`. A column with at most a quarter as many
    distinct values as rows is made distinct before it is hashed (fewer MD5s, a small hash
    table); the others are hashed row by row and filtered before DISTINCT, which spares DuckDB
    a hash table of every value."""
    from governance.data.candidates import ROWS_PER_DISTINCT_FOR_GROUPING, seeded_hash_sql

    present = f"FROM {table} WHERE {_quote(profile.column)} IS NOT NULL"
    under = f"h <= {int(threshold)}::UHUGEINT"
    if profile.distinct_estimate * ROWS_PER_DISTINCT_FOR_GROUPING <= profile.non_null:
        hashed = f"SELECT v, {seeded_hash_sql('v', seed)} AS h FROM (SELECT DISTINCT {text} AS v "
        return f"(SELECT v, h FROM ({hashed}{present})) WHERE {under})"
    hashed = f"SELECT {text} AS v, {seeded_hash_sql(text, seed)} AS h "
    return f"(SELECT DISTINCT v, h FROM ({hashed}{present}) WHERE {under})"


def _longer_count(column: str, data_type: str, max_length: int) -> str:
    """The number of values of `column` longer than `max_length` code points as text: none for
    a type whose text is never that long; else counted where the bytes are (a value has at
    least as many bytes as code points, and `length` costs more than `strlen`)."""
    if has_short_text(data_type) and max_length >= SHORT_TEXT_LENGTH:
        return "0"
    text, limit = _as_text(column), int(max_length)
    return f"count(*) FILTER (WHERE strlen({text}) > {limit} AND length({text}) > {limit})"


def _literal(text: str) -> str:
    """`text` as a DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """A column or table name as a DuckDB identifier, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


_quote = quote_identifier


def _as_text(column: str) -> str:
    return f"CAST({_quote(column)} AS VARCHAR)"


def _chunks(items: tuple[T, ...], size: int) -> list[tuple[T, ...]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


if TYPE_CHECKING:

    def _is_a_data_engine(store: DatasetStore) -> DataEngine:
        """mypy checks here that the store implements the data interface."""
        return store
