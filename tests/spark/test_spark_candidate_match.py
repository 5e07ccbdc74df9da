"""Spark selects exactly the candidate values DuckDB selects, entity by entity: the patterns as
Java runs them (`governance.data.spark.candidate_match`) against RE2's, over presidio's own
test values and random text over the characters where the two engines' regular expressions
could read a pattern differently (line terminators other than `\\n`, non-ASCII digits and
letters, characters outside the Basic Multilingual Plane)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from governance.data.candidate_patterns import CANDIDATE_PATTERNS, candidate_regex

ENTITIES = sorted(CANDIDATE_PATTERNS)
_PRESIDIO = json.loads(
    (Path(__file__).parents[1] / "pii" / "data" / "presidio_recognizer_test_values.json").read_text(
        "utf-8"
    )
)
_ALPHABET = "0123456789٣５९²ſKAZaz @.:-/ ()+\n\r\t\x0b\x0c\x85\u2028\u2029#xX🙂𝟘é"
_LINE_BREAKS = ["a@b\r.c", "a@b\x85.c", "a@b\u2028.c", "a@b\u2029.c", "a@b\n.c", "a@\r\nb.c"]


def _values() -> list[str]:
    rng = random.Random(13)
    generated = [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(4_000)
    ]
    presidio = [v for values in _PRESIDIO.values() for v in values]
    return sorted({*presidio, *generated, *_LINE_BREAKS})


def _duckdb_selects(values: list[str], entity: str) -> set[str]:
    connection = duckdb.connect()
    connection.execute("CREATE TABLE t AS SELECT unnest(?) AS v", [values])
    rows = connection.execute(
        "SELECT v FROM t WHERE regexp_matches(v, ?)", [candidate_regex((entity,))]
    ).fetchall()
    return {v for (v,) in rows}


def _spark_selects(spark: Any, values: list[str], entities: tuple[str, ...]) -> set[str]:
    from governance.data.spark.candidate_match import candidate_condition

    condition, args = candidate_condition(entities, "v")
    frame = spark.createDataFrame([(v,) for v in values], "v string")
    frame.createOrReplaceTempView("candidate_match_values")
    rows = spark.sql(f"SELECT v FROM candidate_match_values WHERE {condition}", args=args)
    return {row[0] for row in rows.collect()}


@pytest.mark.parametrize("entity", ENTITIES)
def test_spark_selects_what_duckdb_selects(spark: Any, entity: str) -> None:
    values = _values()
    expected = _duckdb_selects(values, entity)
    assert expected, f"no value matches {entity}: the comparison would prove nothing"
    assert _spark_selects(spark, values, (entity,)) == expected


def test_a_line_break_other_than_newline_is_crossed_as_duckdb_crosses_it(spark: Any) -> None:
    assert (
        _spark_selects(spark, _LINE_BREAKS, ("EMAIL_ADDRESS",))
        == _duckdb_selects(_LINE_BREAKS, "EMAIL_ADDRESS")
        == {"a@b\r.c", "a@b\x85.c", "a@b\u2028.c", "a@b\u2029.c"}
    )


def test_several_entities_select_the_union(spark: Any) -> None:
    values = _values()
    entities = ("EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "CREDIT_CARD")
    union = set().union(*(_duckdb_selects(values, e) for e in entities))
    assert _spark_selects(spark, values, entities) == union
