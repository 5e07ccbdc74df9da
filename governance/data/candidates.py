"""DuckDB's candidate selection for personal-data entities (`DataEngine.candidate_values`):
every row of a column matched against the entities' patterns (`candidate_patterns`), and the
distinct matches returned, all of them or a seeded sample.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from governance.data.candidate_patterns import candidate_regex
from governance.data.engine import CandidateValues

if TYPE_CHECKING:
    import duckdb

ROWS_PER_DISTINCT_FOR_GROUPING = 4
"""A column with at most a quarter as many distinct values as rows is grouped first, so each
pattern runs once per distinct value instead of once per row (grouping few values is cheap)."""
_HASH_SPACE = 2**128
"""The seeded hash is 128 bits (`governance.data.engine.seeded_hash`)."""


def seeded_hash_sql(text: str, seed: int) -> str:
    """DuckDB's expression of `governance.data.engine.seeded_hash` of the text expression
    `text`: `md5_number` reads the MD5 digest as a little-endian unsigned 128-bit integer."""
    return f"md5_number('{int(seed)}:' || {text})"


def select_candidates(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    entities: tuple[str, ...],
    *,
    text: str,
    size: int,
    seed: int,
    distinct_estimate: int,
    rows: int,
    quote: Callable[[str], str],
) -> CandidateValues:
    """Match every non-null value of `column`, as the expression `text` gives it (the value as
    text cut at the maximum length), against the patterns of `entities`, and return the
    distinct matches: all of them when there are at most `size`, else the `size` with the
    smallest hash seeded with `seed`.

    The matches are kept in a temporary table, so each value is matched once whatever the
    number of attempts the sample needs."""
    regex = _sql_string(candidate_regex(entities))
    scratch = f"candidates_{abs(hash((table, column, entities, seed, text)))}"
    grouped = distinct_estimate * ROWS_PER_DISTINCT_FOR_GROUPING <= rows
    if grouped:
        matched = (
            f"SELECT v, n, {seeded_hash_sql('v', seed)} AS h FROM (SELECT {text} AS v, "
            f"count(*) AS n FROM {table} WHERE {quote(column)} IS NOT NULL GROUP BY v) "
            f"WHERE regexp_matches(v, {regex})"
        )
    else:
        matched = (
            f"SELECT v, 1 AS n, {seeded_hash_sql('v', seed)} AS h FROM (SELECT {text} AS v "
            f"FROM {table} WHERE {quote(column)} IS NOT NULL) WHERE regexp_matches(v, {regex})"
        )
    connection.execute(f'CREATE OR REPLACE TEMP TABLE "{scratch}" AS {matched}')
    try:
        # Exact, as every engine counts them: grouped, each row of the scratch table is one
        # distinct candidate; else they are counted (only the candidates, not the column).
        distinct_sql = "count(*)" if grouped else "count(DISTINCT v)"
        ((candidate_rows, distinct),) = connection.execute(
            f'SELECT coalesce(sum(n), 0), {distinct_sql} FROM "{scratch}"'
        ).fetchall()
        values, complete = _sample(connection, scratch, size, int(distinct))
    finally:
        connection.execute(f'DROP TABLE IF EXISTS "{scratch}"')
    return CandidateValues(values, complete, rows, int(candidate_rows), int(distinct))


def _sample(
    connection: duckdb.DuckDBPyConnection, scratch: str, size: int, distinct: int
) -> tuple[tuple[str, ...], bool]:
    """(values, complete): the `size` distinct candidates (of `distinct`) with the smallest
    hash, found among those under a threshold that should leave about four times `size`
    (raised until enough are found)."""
    share = 4 * (size + 1) / max(distinct, 1)
    while True:
        threshold = _HASH_SPACE - 1 if share >= 1 else int(_HASH_SPACE * share)
        rows = connection.execute(
            f'SELECT v FROM (SELECT DISTINCT v, h FROM "{scratch}" '
            f"WHERE h <= {int(threshold)}::UHUGEINT) "
            "ORDER BY h, v LIMIT ?",
            [size + 1],
        ).fetchall()
        if len(rows) > size:  # more than `size` exist
            return tuple(row[0] for row in rows[:size]), False
        if threshold == _HASH_SPACE - 1:
            return tuple(sorted(row[0] for row in rows)), True
        share *= 16


def exact_distinct(connection: duckdb.DuckDBPyConnection, table: str, text: str) -> int:
    """The number of distinct non-null values of the text expression `text` (a column as text
    cut at the maximum length)."""
    ((count,),) = connection.execute(f"SELECT count(DISTINCT {text}) FROM {table}").fetchall()
    return int(count)


def _sql_string(text: str) -> str:
    """`text` as a SQL string literal (the patterns are constants of this module: written into
    the statement, so the engine compiles each expression once rather than per row)."""
    return "'" + text.replace("'", "''") + "'"
