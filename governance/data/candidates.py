"""Candidate values for personal-data entities, found over a whole column by the data engine.

Each pattern below is a *necessary condition* for presidio's recognizer of its entity: every
text in which presidio finds the entity matches it (tests/pii/test_candidate_patterns.py runs
each pattern in DuckDB against presidio's own test values and generated ones). So a value that
matches none of the patterns asked for cannot hold any of those entities, and a scan that sends
presidio only the matching values decides on every row.

The patterns are written in the regular-expression subset that RE2 (DuckDB) and Java (Spark)
share: character classes, counted repetition, `(?s:...)` groups; no look-around, no `\\b`, no
`\\d`. presidio matches with Python's `regex` module, where `\\d` is any Unicode digit and
IGNORECASE folds some non-ASCII letters onto ASCII ones (`ſ` onto `s`); rather than rely on two
engines agreeing on Unicode tables, every non-ASCII character counts as a possible digit or
letter (`_DIGIT`, `_LETTER`): a superset whatever the tables, and rare in the columns scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from governance.data.engine import CandidateValues

if TYPE_CHECKING:
    import duckdb

_NON_ASCII = r"\x{80}-\x{10FFFF}"
_DIGIT = f"[0-9{_NON_ASCII}]"
"""`\\d` as presidio's `regex` module reads it (any Unicode digit), or wider."""
_LETTER_OR_DIGIT = f"[0-9A-Za-z{_NON_ASCII}]"

CANDIDATE_PATTERNS: Mapping[str, str] = {
    # `...[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+`: an `@`, then a `.`, no line break between.
    "EMAIL_ADDRESS": r"@.*[.]",
    # phonenumbers keeps numbers valid for a region, 4 digits at the shortest (prefilter.py).
    "PHONE_NUMBER": f"{_DIGIT}(?s:.*{_DIGIT}){{3}}",
    # SSN1-5: 5-4, 3-6, 3-2-4 with `-`, `.` or a space, or 9 digits; `[0-9]` is ASCII only.
    "US_SSN": r"[0-9]{3}[- .]?[0-9]{2}[- .]?[0-9]{4}|[0-9]{5}-[0-9]{4}|[0-9]{3}-[0-9]{6}",
    # `((4\d{3})|(5[0-5]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))[- ]?(\d{3,4})[- ]?(\d{3,4})`
    # `[- ]?(\d{3,5})`
    "CREDIT_CARD": (
        f"[13-6]{_DIGIT}{{3}}[- ]?{_DIGIT}{{3,4}}[- ]?{_DIGIT}{{3,4}}[- ]?{_DIGIT}{{3,5}}"
    ),
    # `[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6}...`, matched with or without IGNORECASE.
    "IBAN_CODE": f"[A-Za-z{_NON_ASCII}]{{2}}[0-9]{{2}}(?:[ -]?{_LETTER_OR_DIGIT}{{4}}){{2}}",
    # `9\d{2}[- ]?(5\d|6[0-5]|7\d|8[0-8]|9([0-2]|[4-9]))[- ]?\d{4}` (the three patterns)
    "US_ITIN": f"9{_DIGIT}{{2}}[- ]?{_DIGIT}{{2}}[- ]?{_DIGIT}{{4}}",
    # `[0-9]{9}` and `[A-Z][0-9]{8}`
    "US_PASSPORT": r"[0-9]{8}",
    # `([0-9]{3})[- ]?([0-9]{3})[- ]?([0-9]{4})`
    "UK_NHS": r"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}",
    # IPv4 (also inside the mapped and embedded forms): four numbers of 1-3 digits joined by
    # dots; every IPv6 form holds `::` or seven colons.
    "IP_ADDRESS": r"[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}|::|(?:[^:]*:){7}",
}
"""Per entity, a regular expression every value holding it matches (searched, not anchored)."""
# The e-mail pattern's `.` needs no `(?s)`: the characters between `@` and the dot are word
# characters and hyphens, never a line break.

_ROWS_PER_DISTINCT_FOR_GROUPING = 4
"""A column with at most a quarter as many distinct values as rows is grouped first, so each
pattern runs once per distinct value instead of once per row (grouping few values is cheap)."""
_HASH_SPACE = 2**128
"""The seeded hash is 128 bits (`governance.data.engine.seeded_hash`)."""


def seeded_hash_sql(text: str, seed: int) -> str:
    """DuckDB's expression of `governance.data.engine.seeded_hash` of the text expression
    `text`: `md5_number` reads the MD5 digest as a little-endian unsigned 128-bit integer."""
    return f"md5_number('{int(seed)}:' || {text})"


def candidate_entities(entities: tuple[str, ...]) -> tuple[str, ...]:
    """The entities among `entities` that have a candidate pattern."""
    return tuple(e for e in entities if e in CANDIDATE_PATTERNS)


def candidate_regex(entities: tuple[str, ...]) -> str:
    """One expression matching what any of `entities`' patterns matches."""
    patterns = [CANDIDATE_PATTERNS[e] for e in candidate_entities(entities)]
    if not patterns:
        raise ValueError("no entity with a candidate pattern")
    return "|".join(f"(?:{p})" for p in patterns)


def select_candidates(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    entities: tuple[str, ...],
    *,
    size: int,
    seed: int,
    max_length: int,
    distinct_estimate: int,
    rows: int,
    quote: Callable[[str], str],
) -> CandidateValues:
    """Match every non-null value of `column` (as text cut at `max_length`) against the
    patterns of `entities`, and return the distinct matches: all of them when there are at most
    `size`, else the `size` with the smallest hash seeded with `seed`.

    The matches are kept in a temporary table, so each value is matched once whatever the
    number of attempts the sample needs."""
    regex = _sql_string(candidate_regex(entities))
    text = f"left(CAST({quote(column)} AS VARCHAR), {int(max_length)})"
    scratch = f"candidates_{abs(hash((table, column, entities, seed, max_length)))}"
    if distinct_estimate * _ROWS_PER_DISTINCT_FOR_GROUPING <= rows:
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
        ((candidate_rows, estimate),) = connection.execute(
            f'SELECT coalesce(sum(n), 0), approx_count_distinct(v) FROM "{scratch}"'
        ).fetchall()
        values, complete, distinct = _sample(connection, scratch, size, int(estimate))
    finally:
        connection.execute(f'DROP TABLE IF EXISTS "{scratch}"')
    return CandidateValues(values, complete, rows, int(candidate_rows), distinct)


def _sample(
    connection: duckdb.DuckDBPyConnection, scratch: str, size: int, estimate: int
) -> tuple[tuple[str, ...], bool, int]:
    """(values, complete, distinct candidates): the `size` distinct candidates with the
    smallest hash, found among those under a threshold that should leave about four times
    `size` (raised until enough are found)."""
    share = 4 * (size + 1) / max(estimate, 1)
    while True:
        threshold = _HASH_SPACE - 1 if share >= 1 else int(_HASH_SPACE * share)
        rows = connection.execute(
            f'SELECT v FROM (SELECT DISTINCT v, h FROM "{scratch}" '
            f"WHERE h <= {int(threshold)}::UHUGEINT) "
            "ORDER BY h, v LIMIT ?",
            [size + 1],
        ).fetchall()
        if len(rows) > size:  # more than `size` exist, whatever the estimate says
            return tuple(row[0] for row in rows[:size]), False, max(estimate, size + 1)
        if threshold == _HASH_SPACE - 1:
            return tuple(sorted(row[0] for row in rows)), True, len(rows)
        share *= 16


def exact_distinct(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    max_length: int,
    quote: Callable[[str], str],
) -> int:
    """The number of distinct non-null values of `column` as text cut at `max_length`."""
    text = f"left(CAST({quote(column)} AS VARCHAR), {int(max_length)})"
    ((count,),) = connection.execute(f"SELECT count(DISTINCT {text}) FROM {table}").fetchall()
    return int(count)


def _sql_string(text: str) -> str:
    """`text` as a SQL string literal (the patterns are constants of this module: written into
    the statement, so the engine compiles each expression once rather than per row)."""
    return "'" + text.replace("'", "''") + "'"
