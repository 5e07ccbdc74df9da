"""The data interface: what checks ask of the datasets of an audit, whatever engine holds them.

Checks receive a `DataEngine` and call only its methods; they never see SQL text, a relation, a
DataFrame or a connection. The embedded engine is DuckDB (`governance.data.store`); a
distributed one (Spark) implements the same Protocol and must give the same answers, value for
value, on the same data: every operation below states its exact semantics, and the test suite
pins them.

Shared vocabulary of every operation:

- Column types cross the interface as DuckDB type names (`VARCHAR`, `BIGINT`, `DOUBLE`,
  `BOOLEAN`, `DATE`, `TIMESTAMP`, `DECIMAL(18,3)`, `STRUCT(...)`, `INTEGER[]`, ...): the
  vocabulary `governance.data.column_types` reads. Another engine maps its types onto them.
- Values cross as the Python values DuckDB's client returns for the column's type: `str`, `int`,
  `float` (NaN and infinities included), `bool`, `decimal.Decimal`, `datetime.date`,
  `datetime.datetime`; NULL is None.
- *Missing* (outcomes, scores, features; one definition, `governance.data.missing_values`):
  NULL; in a floating-point column (`column_types.is_floating`) also NaN and ±infinity; in a text
  column (`column_types.is_text`) also a text that is empty once the characters
  space, tab, newline, carriage return, form feed and vertical tab are trimmed from both ends.
- *As text cut at `max_length`* (every PII operation): a non-null value cast to text as DuckDB
  casts it to VARCHAR, then its first `max_length` Unicode code points. NULL values are never
  text: they are skipped, not counted as a value.
- *Seeded hash* (the deterministic PII samples): of a text `v` and an integer `seed`,
  `seeded_hash(v, seed)` below: the MD5 digest of the UTF-8 bytes of `f"{seed}:{v}"` (the seed
  in decimal), its 16 bytes read as an unsigned little-endian 128-bit integer. DuckDB computes
  it as `md5_number('{seed}:' || v)` (about 0.13 µs per value more than its own `hash()`,
  which no other engine computes; `md5_number_lower` is slower still); Spark orders by
  `md5(...)`'s 32 hex digits taken two by two in reverse order, which sort as the integer
  does. `benchmarks/README.md` has the cost. A
  sample "of `size` values by smallest seeded hash" is the `size` distinct values with the
  smallest hash, ordered by (hash, then the value's UTF-8 bytes): the same data and seed give
  the same sample whatever the row order, partitioning or number of threads.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pyarrow

    from governance.manifest import DatasetSpec

Value = Any
"""A value as DuckDB's Python client returns it (see the module's docstring); None for NULL."""


def seeded_hash(text: str, seed: int) -> int:
    """The seeded hash of the PII samples (the reference every engine matches)."""
    digest = hashlib.md5(f"{seed}:{text}".encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest, "little")


# --- PII -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnProfile:
    """How much a column holds, counted on its values as text cut at `max_length`."""

    column: str
    data_type: str
    """The column's type (a DuckDB type name)."""
    non_null: int
    """Rows whose value is not NULL (an empty text counts: it is a value)."""
    too_long: int
    """Non-null values longer than `max_length` code points as text (they are cut when read)."""
    distinct_estimate: int
    """An estimate of the number of distinct non-null values (HyperLogLog, within a few
    percent; each engine's own estimator, so two engines may differ slightly). It only sizes
    the work (how a sample's threshold starts, whether values are grouped first): no count a
    report shows comes from it."""


@dataclass(frozen=True)
class DistinctSample:
    """Up to `size` distinct non-null values of a column as text cut at `max_length`: the
    `size` with the smallest seeded hash, in (hash, value) order."""

    values: tuple[str, ...]
    complete: bool
    """The column has no other distinct value (it has at most `size`)."""
    distinct: int | None
    """The exact number of distinct values: always set when `complete`; when not complete, set
    on a dataset of at most `SHORT_TABLE_ROWS` rows and None above (the engine does not count
    the distinct values of a large column to draw a sample)."""


SHORT_TABLE_ROWS = 10_000
"""Up to this many rows, `DistinctSample.distinct` is exact even when the sample is not
complete."""


@dataclass(frozen=True)
class CandidateValues:
    """The values of one column that could hold one of the entities asked for: those whose
    text (cut at `max_length`) matches, searched and not anchored, one of the entities'
    patterns (`governance.data.candidate_patterns.candidate_regex`, written in the
    regular-expression subset RE2 and Java share)."""

    values: tuple[str, ...]
    """Every distinct candidate, sorted by UTF-8 bytes, when `complete`; else the `size`
    candidates with the smallest seeded hash, in (hash, value) order."""
    complete: bool
    """There are at most `size` distinct candidates."""
    rows: int
    """Non-null rows, every one checked against the patterns (the profile's `non_null`)."""
    candidate_rows: int
    """Rows whose value matches a pattern."""
    distinct_candidates: int
    """Distinct candidate values, counted exactly (complete or not): the share of a column a
    sample of candidates stands for, and with it a rate and its bound, must not depend on the
    engine's estimator."""


# --- fairness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """How many distinct non-null values a column holds, over how many non-null rows."""

    distinct: int
    present: int


@dataclass(frozen=True)
class TypedColumn:
    """A column and its type (a DuckDB type name), which decides which values are missing."""

    column: str
    data_type: str


@dataclass(frozen=True)
class ConfusionRequest:
    """What `DataEngine.confusion_counts` groups by and projects.

    Per row, the engine projects:
    - each of `features`, raw (its value as read, NULL kept);
    - `y`: the label's raw value, None where missing (no label: None);
    - `p`, the selection: the prediction's raw value, None where missing; else, with `threshold`
      and `score`, whether the score cast to DOUBLE is >= `threshold` (None where the score is
      missing); else None;
    - `s`: the score cast to DOUBLE, None where missing (no score: None)."""

    features: tuple[str, ...]
    feature_sets: tuple[tuple[str, ...], ...]
    """Each a subset of `features`, in `features` order."""
    label: TypedColumn | None
    prediction: TypedColumn | None
    score: TypedColumn | None
    threshold: float | None
    """Set (with `score`) when selections are `score >= threshold` (then `prediction` is None)."""
    scoring: bool
    """Scoring rates are computed: a row with no finite score is a missing outcome, so cells are
    also split on whether the score is missing."""

    @property
    def rollup(self) -> bool:
        """When the full intersection of `features` is asked for, only it is grouped (every
        coarser set is a sum of its cells); else every feature set is grouped."""
        return self.features in self.feature_sets

    @property
    def selects(self) -> bool:
        return self.prediction is not None or self.threshold is not None


@dataclass(frozen=True)
class ConfusionCell:
    """The rows of one group sharing one (y, p) pair (and, with `scoring`, whether `s` is
    missing)."""

    grouping: int
    """Which features are grouped, as SQL's GROUPING() over all `features`: bit
    `1 << (len(features) - 1 - i)` is set when feature i is NOT grouped (0: all grouped)."""
    values: tuple[Value, ...]
    """Each feature's raw value, in `features` order (None where not grouped, or NULL)."""
    label: Value
    """`y`: the label's raw value, None where missing."""
    selection: Value
    """`p`: the prediction's raw value, or a bool (score >= threshold), None where missing."""
    rows: int
    scored: int
    """Rows of the cell whose `s` is not missing (0 or `rows` when `scoring` splits on it)."""
    above_median: int
    """Rows whose `s` is greater than `median` (0 without a median)."""
    median: float | None
    """The same in every cell: the median (the mean of the two middle values for an even
    count, as DuckDB's `median`) of `s` over the rows that have every outcome the request
    needs (`s`; `y` with a label; `p` when it selects); None without a score or such rows."""

    @classmethod
    def from_row(cls, row: Sequence[Any], width: int, median: float | None) -> ConfusionCell:
        """The cell of one group-by row of a `width`-feature request, as every engine selects
        it: the grouping id, each feature's value, `y`, `p`, rows, scored rows, rows above the
        median (further columns are the engine's own)."""
        return cls(
            grouping=int(row[0]),
            values=tuple(row[1 : 1 + width]),
            label=row[1 + width],
            selection=row[2 + width],
            rows=int(row[3 + width]),
            scored=int(row[4 + width]),
            above_median=int(row[5 + width]),
            median=median,
        )


# --- model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureColumn:
    column: str
    data_type: str
    numeric: bool
    """Cut into quantile bins (its values cast to DOUBLE) rather than grouped by its values."""


def quantile_ranks(count: int, bins: int) -> tuple[int, ...]:
    """For `count` ordered values, the rank (from 1) of the value at each level q = i / bins
    (i = 1 .. bins - 1): ceil(count * q), the product taken in IEEE double precision as DuckDB's
    `quantile_disc` and numpy's `inverted_cdf` take it (of 77 values, q = 9 / 11 is rank 64,
    where exact arithmetic gives 63), and at least 1. Every engine takes its quantile edges at
    these ranks."""
    return tuple(max(1, math.ceil(float(count) * (i / bins))) for i in range(1, bins))


def quantile_edges(values: Iterable[float | None]) -> tuple[float, ...]:
    """The values found at `quantile_ranks`, as a feature's bin edges: deduplicated,
    ascending, and a zero always +0.0 (a group-by that meets both zeros keeps whichever it
    meets first, so the same data would give 0.0 or -0.0 from run to run)."""
    return tuple(sorted({float(value) + 0.0 for value in values if value is not None}))


Cells = dict[tuple[Value, Value], int]
"""Rows counted per (feature value, group value); only non-zero cells are present."""


@dataclass(frozen=True)
class ProxyRequest:
    """What `DataEngine.proxy_counts` counts: each of `features` against each of `groups`."""

    features: tuple[FeatureColumn, ...]
    groups: tuple[str, ...]
    """The group columns (sensitive features), each counted by its raw values."""
    bins: int
    """Quantile bins of a numeric feature with more distinct values than this."""
    max_categories: int
    """A text feature with more distinct values than this is not counted."""

    def counts(self, feature: FeatureColumn, distinct: int) -> bool:
        """Whether `feature`, with `distinct` values, gets tables (`FeatureCounts.tables`)."""
        return feature.numeric or distinct <= self.max_categories


@dataclass(frozen=True)
class FeatureCounts:
    """One feature's shape and, when counted, its table against every group column.

    - A numeric feature (`FeatureColumn.numeric`) is always counted: by its quantile bin when
      it has more than `bins` distinct values, else by its raw value.
    - Any other feature is counted by its raw value when it has at most `max_categories`
      distinct values, and not counted (no tables) above."""

    distinct: int
    """The exact number of distinct non-NULL values: numeric, cast to DOUBLE (NaN and the
    infinities are values); otherwise as read (a blank text is a value)."""
    edges: tuple[float, ...] = ()
    """A numeric feature with more than `bins` distinct values: for each rank r of
    `quantile_ranks(n, bins)`, n its finite values, the smallest finite value v such that r
    finite values are <= v, deduplicated and sorted. Else ()."""
    tables: dict[str, Cells] | None = None
    """Per group column, in request order: rows counted per (the feature's raw value, or its
    bin number: the index of the first edge its value (as DOUBLE) does not exceed,
    `len(edges)` past the last, None where the value is missing; the group column's raw
    value, None for NULL). Every group column present, a table empty without rows. None when
    the feature is not counted. Which raw values are missing or unknown is the caller's to
    decide."""

    @property
    def binned(self) -> bool:
        return bool(self.edges)

    @property
    def counted(self) -> bool:
        return self.tables is not None


@dataclass(frozen=True)
class RankCounts:
    """Over the rows whose label and score are both not missing: pairs (positive, negative)
    the positive scores above, ties counting one half, and the numbers of positives and
    negatives (a row is positive when its label equals `positive`)."""

    pairs_won: float
    positives: int
    negatives: int

    @property
    def auc(self) -> float | None:
        pairs = self.positives * self.negatives
        return None if pairs == 0 else self.pairs_won / pairs


@dataclass(frozen=True)
class AgreementCounts:
    """A recorded prediction column against the model's, row by row."""

    rows: int
    missing: int
    """Rows whose recorded value is NULL."""
    disagreeing: int
    """Rows whose recorded value is NULL or differs from the model's. Two values agree when
    both cast to DOUBLE (a failed cast is NULL) and are equal; when either cast fails, when
    their texts (cast to VARCHAR, spaces trimmed from both ends) are equal. A NULL model value
    disagrees."""


# --- failures ------------------------------------------------------------------------------


class DataQueryFailed(Exception):  # noqa: N818 - reported as the errored rule's reason
    """The engine failed while reading a dataset's column values for a PII operation (a
    source that cannot be read is an `InputError` instead). Its message names the engine's
    error type only: the engine's own text may quote the data."""


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentDigest:
    """The sha256 of a dataset passed in memory, over the canonical Arrow IPC stream of what
    the engine reads from it (`governance.data.frame_digest`), and the stream's bytes."""

    sha256: str
    size: int


# --- model scoring -------------------------------------------------------------------------


class DatasetScorer(Protocol):
    """How a dataset gets the columns the model computes (`from_model`): the engine asks the
    scorer once, when a check first reads such a dataset, and drives the batches itself."""

    def planned_spec(self, spec: DatasetSpec) -> DatasetSpec:
        """The dataset as checks read it once scored: its prediction (and, when the model
        scores, its score) name the model's columns. Loads the model, scores nothing."""
        ...

    def start(self, name: str, spec: DatasetSpec, columns: tuple[str, ...]) -> BatchScoring:
        """Begin scoring dataset `name`, whose own columns are `columns`. Raises `InputError`
        for the user's mistakes (an input feature missing, a model column already taken)."""
        ...


class BatchScoring(Protocol):
    """The scoring of one dataset, one Arrow record batch at a time, in row order."""

    @property
    def features(self) -> tuple[str, ...]:
        """The columns each batch holds, in this order."""
        ...

    def predict_batch(self, batch: pyarrow.RecordBatch) -> pyarrow.Table:
        """The model's columns (prediction, then score when the model scores) for the batch's
        rows, in its order. Raises `CheckCannotRun` when the model fails."""
        ...

    def empty(self) -> pyarrow.Table:
        """The model's columns for a dataset without rows."""
        ...

    def finish(self, rows: int, predictions_sha256: str) -> None:
        """Record what was scored: the rows, and the sha256 of the canonical Arrow stream
        (`frame_digest.arrow_stream_sha256`) of the model's columns in row order."""
        ...


# --- the engine ----------------------------------------------------------------------------


class DataEngine(Protocol):
    """The datasets of one audit, by manifest name. Answers may be cached for the audit (the
    data do not change while it runs). A dataset that cannot be read raises `InputError`
    naming it; a model that fails while scoring raises `CheckCannotRun` for every read of the
    scored dataset."""

    # datasets

    def names(self) -> tuple[str, ...]:
        """The manifest's datasets, in manifest order."""
        ...

    def spec(self, name: str) -> DatasetSpec:
        """The dataset as checks read it: with `from_model`, its prediction and score name
        the columns the model adds (the model is loaded; nothing is scored yet)."""
        ...

    def in_memory(self, name: str) -> bool:
        """Whether the dataset was passed through the Python API rather than read from its
        source."""
        ...

    def columns(self, name: str) -> tuple[str, ...]:
        """The dataset's own columns in order (without those the model adds)."""
        ...

    def column_types(self, name: str) -> dict[str, str]:
        """The type of each column in order, the model's columns included (scores the
        dataset when it has `from_model`)."""
        ...

    def row_count(self, name: str) -> int: ...

    def in_memory_digest(self, name: str) -> ContentDigest:
        """The digest of a dataset passed in memory (`in_memory(name)`)."""
        ...

    def close(self) -> None: ...

    # PII: every operation reads the dataset's own columns, as text cut at `max_length`

    def profile_columns(
        self, name: str, columns: tuple[str, ...], max_length: int
    ) -> dict[str, ColumnProfile]:
        """A profile of each of `columns`, keyed and ordered as `columns`."""
        ...

    def distinct_samples(
        self,
        name: str,
        profiles: tuple[ColumnProfile, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> dict[str, DistinctSample]:
        """For each profiled column, its `size` distinct values by smallest seeded hash."""
        ...

    def candidate_values(
        self,
        name: str,
        profile: ColumnProfile,
        entities: tuple[str, ...],
        size: int,
        seed: int,
        max_length: int,
    ) -> CandidateValues:
        """The values of the profiled column that could hold one of `entities` (those with a
        candidate pattern), every row checked."""
        ...

    def distinct_count(self, name: str, column: str, max_length: int) -> int:
        """The exact number of distinct non-null values of `column`."""
        ...

    def distinct_batches(
        self, name: str, column: str, batch_size: int, max_length: int
    ) -> Iterator[list[str]]:
        """Every distinct non-null value of `column`, sorted by UTF-8 bytes, in lists of
        `batch_size` (the last shorter): memory holds one batch."""
        ...

    # fairness

    def value_spread(
        self, name: str, columns: tuple[str, ...], first_rows: int
    ) -> dict[str, Spread]:
        """Per column, among the first `first_rows` rows of the dataset: its distinct
        non-null values (exact) and its non-null rows, keyed and ordered as `columns`. A
        bounded, cheap look taken before anything is grouped (the whole column costs 20% of a
        fairness rule at 5M rows). "First" is the source's stored order (a file's rows in
        order, files in path order); a source without one gives any `first_rows` rows. On a
        dataset of at most `first_rows` rows every engine counts every row."""
        ...

    def present_values(
        self, name: str, columns: Mapping[str, str], limit: int
    ) -> dict[str, list[Value]]:
        """Per column (name -> type), its distinct values that are not missing: all of them
        when there are at most `limit`, else any `limit` of them; in no particular order."""
        ...

    def confusion_counts(self, name: str, request: ConfusionRequest) -> tuple[ConfusionCell, ...]:
        """Rows counted by the raw values of each grouped feature set, `y`, `p` (and whether
        `s` is missing when `request.scoring`), in one scan: with `request.rollup` one cell per
        distinct (all features, y, p[, s missing]); else, for each feature set, one per
        distinct (its features, y, p[, s missing]). Cells in no particular order."""
        ...

    # model

    def proxy_counts(self, name: str, request: ProxyRequest) -> dict[str, FeatureCounts]:
        """The shape and tables of each of `request.features` (see `FeatureCounts`), keyed and
        ordered as the features."""
        ...

    def rank_counts(
        self, name: str, label: TypedColumn, positive: Value, score: TypedColumn
    ) -> RankCounts:
        """The counts behind the area under the ROC curve, scores cast to DOUBLE."""
        ...

    def agreement_counts(self, name: str, recorded: str, predicted: str) -> AgreementCounts:
        """The recorded prediction column `recorded` against the model's `predicted`."""
        ...
