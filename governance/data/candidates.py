"""DuckDB's candidate selection for personal-data entities (`DataEngine.candidate_values`):
every row of a column matched against the entities' patterns (`candidate_patterns`), and the
distinct matches returned, all of them or a seeded sample.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from governance.data.candidate_patterns import candidate_regex
from governance.data.engine import CandidateValues
from governance.data.hash_thresholds import under_rising_thresholds

if TYPE_CHECKING:
    import duckdb

ROWS_PER_DISTINCT_FOR_GROUPING = 4
"""A column with at most a quarter as many distinct values as rows is grouped first, so each
pattern runs once per distinct value instead of once per row (grouping few values is cheap)."""


def seeded_hash_sql(text: str, seed: int) -> str:
    """DuckDB's expression of `governance.data.engine.seeded_hash` of the text expression
    `text`: `md5_number` reads the MD5 digest as a little-endian unsigned 128-bit integer."""
    return f"md5_number('{int(seed)}:' || {text})"


_KEPT_DISTINCT_VALUES = 2_000_000
"""Distinct values kept across rules (all columns together): a column whose values would pass
it has them grouped again by the next rule instead."""

_KEPT_TEXT_BYTES = 100_000_000
"""And their text, in bytes (a value may be up to `max_value_length`, a million characters,
and each seed keeps its own copy): about 100 MB at most."""


class CandidateSelector:
    """Candidate selection over one connection's tables, remembering what every PII rule of an
    audit can share: each grouped column's distinct values with their row counts (a temporary
    table, while they fit in `_KEPT_DISTINCT_VALUES`), and each column's exact number of
    distinct values once a pass has counted it."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, quote: Callable[[str], str]):
        self._connection = connection
        self._quote = quote
        self._grouped: dict[tuple[str, str, int], str] = {}
        """The temporary table of (v, n, h) per (table, text expression, seed)."""
        self._kept = 0
        self._kept_bytes = 0
        self._distinct: dict[tuple[str, str], int] = {}

    def select(
        self,
        table: str,
        column: str,
        entities: tuple[str, ...],
        *,
        text: str,
        size: int,
        seed: int,
        distinct_estimate: int,
        rows: int,
    ) -> CandidateValues:
        """Match every non-null value of `column`, as the expression `text` gives it (the value
        as text cut at the maximum length), against the patterns of `entities`, and return the
        distinct matches: all of them when there are at most `size`, else the `size` with the
        smallest hash seeded with `seed`.

        The distinct matches are kept in a temporary table, one row each with its number of
        rows and its seeded hash, so each row is matched once whatever the number of attempts
        the sample needs, and each distinct value is hashed once."""
        regex = _sql_string(candidate_regex(entities))
        if distinct_estimate * ROWS_PER_DISTINCT_FOR_GROUPING <= rows:
            # Few distinct values: grouped first, so each pattern runs once per distinct value.
            with self._distinct_values(table, column, text, seed) as grouped:
                matched = f"SELECT v, n, h FROM {grouped} WHERE {_matching(regex)}"
                return self._candidates(matched, size, rows, (table, text))
        # Mostly distinct: matched row by row, only the matches grouped and hashed.
        matched = (
            f"SELECT v, n, {seeded_hash_sql('v', seed)} AS h FROM (SELECT v, count(*) AS n "
            f"FROM (SELECT {text} AS v {self._present(table, column)}) "
            f"WHERE {_matching(regex)} GROUP BY v)"
        )
        return self._candidates(matched, size, rows, (table, text))

    def distinct_count(self, table: str, text: str) -> int:
        """The number of distinct non-null values of the text expression `text` (a column as
        text cut at the maximum length)."""
        key = (table, text)
        if key not in self._distinct:
            ((count,),) = self._connection.execute(
                f"SELECT count(DISTINCT {text}) FROM {table}"
            ).fetchall()
            self._distinct[key] = int(count)
        return self._distinct[key]

    def _present(self, table: str, column: str) -> str:
        return f"FROM {table} WHERE {self._quote(column)} IS NOT NULL"

    @contextmanager
    def _distinct_values(self, table: str, column: str, text: str, seed: int) -> Iterator[str]:
        """The name of a temporary table of the column's distinct values `v`, their row counts
        `n` and seeded hashes `h`, kept for the next rule while the kept values fit the
        budget."""
        key = (table, text, seed)
        if key in self._grouped:
            yield self._grouped[key]
            return
        name = f'"column_values_{len(self._grouped)}_{abs(hash(key))}"'
        self._connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT v, n, {seeded_hash_sql('v', seed)} "
            f"AS h FROM (SELECT {text} AS v, count(*) AS n {self._present(table, column)} "
            "GROUP BY v)"
        )
        ((count, size),) = self._connection.execute(
            f"SELECT count(*), coalesce(sum(strlen(v)), 0) FROM {name}"
        ).fetchall()
        self._distinct[(table, text)] = int(count)
        kept = (
            self._kept + int(count) <= _KEPT_DISTINCT_VALUES
            and self._kept_bytes + int(size) <= _KEPT_TEXT_BYTES
        )
        if kept:
            self._grouped[key] = name
            self._kept += int(count)
            self._kept_bytes += int(size)
        try:
            yield name
        finally:
            if not kept:
                self._connection.execute(f"DROP TABLE IF EXISTS {name}")

    @contextmanager
    def _matches(self, matched: str) -> Iterator[str]:
        """A temporary table of the distinct matches `matched` selects (`v`, `n`, `h`),
        dropped afterwards."""
        scratch = f'"candidates_{abs(hash(matched))}"'
        self._connection.execute(f"CREATE OR REPLACE TEMP TABLE {scratch} AS {matched}")
        try:
            yield scratch
        finally:
            self._connection.execute(f"DROP TABLE IF EXISTS {scratch}")

    def _candidates(
        self, matched: str, size: int, rows: int, key: tuple[str, str]
    ) -> CandidateValues:
        """The candidates `matched` selects: distinct values `v`, their row counts `n` and
        seeded hashes `h`."""
        with self._matches(matched) as scratch:
            # Exact, as every engine counts them: each row of the scratch table is one
            # distinct candidate.
            ((candidate_rows, distinct),) = self._connection.execute(
                f"SELECT coalesce(sum(n), 0), count(*) FROM {scratch}"
            ).fetchall()
            values, complete = _sample(self._connection, scratch, size, int(distinct))
        if int(candidate_rows) == rows:  # every non-null row is a candidate
            self._distinct[key] = int(distinct)
        return CandidateValues(values, complete, rows, int(candidate_rows), int(distinct))


def _sample(
    connection: duckdb.DuckDBPyConnection, scratch: str, size: int, distinct: int
) -> tuple[tuple[str, ...], bool]:
    """(values, complete): the `size` distinct candidates (of `distinct`) with the smallest
    hash, found among those under a threshold that should leave about four times `size`
    (raised until enough are found)."""

    def below(_: tuple[str, ...], thresholds: list[int]) -> list[list[str]]:
        rows = connection.execute(
            f"SELECT v FROM {scratch} WHERE h <= {int(thresholds[0])}::UHUGEINT "
            "ORDER BY h, v LIMIT ?",
            [size + 1],
        ).fetchall()
        return [[row[0] for row in rows]]

    values = under_rising_thresholds({scratch: distinct}, size, 1, below)[scratch]
    if len(values) > size:  # more than `size` exist
        return tuple(values[:size]), False
    return tuple(sorted(values)), True


def _sql_string(text: str) -> str:
    """`text` as a SQL string literal (the patterns are constants of this module: written into
    the statement, so the engine compiles each expression once rather than per row)."""
    return "'" + text.replace("'", "''") + "'"


def _matching(regex: str) -> str:
    return f"regexp_matches(v, {regex})"
