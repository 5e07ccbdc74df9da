"""The data engine's candidate selection: every row matched, the same candidates whichever way
the column is read, all of them when few, a deterministic hashed sample when many."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import duckdb
import pandas as pd
import pytest

from governance.data.candidates import CandidateSelector
from governance.data.engine import CandidateValues
from governance.data.store import DatasetStore, quote_identifier

ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER")


def store_of(frame: pd.DataFrame) -> DatasetStore:
    return DatasetStore({}, frames={"d": frame})


def people(rows: int, every: int) -> pd.DataFrame:
    remarks = [f"user{i}@mail.example.com" if i % every == 0 else "no contact" for i in range(rows)]
    return pd.DataFrame({"remark": remarks, "unique": [f"ref {i:x} x" for i in range(rows)]})


def test_few_candidates_are_all_returned_sorted_with_their_row_count() -> None:
    store = store_of(people(4000, 100))
    profile = store.profile_columns("d", ("remark",), 4096)["remark"]
    found = store.candidate_values("d", profile, ENTITIES, 1000, 0, 4096)
    assert found.complete and (found.rows, found.candidate_rows) == (4000, 40)
    assert found.values == tuple(sorted(f"user{i}@mail.example.com" for i in range(0, 4000, 100)))
    assert found.distinct_candidates == 40


def test_grouped_and_row_by_row_reading_select_the_same_candidates() -> None:
    store = store_of(people(4000, 7))
    profile = store.profile_columns("d", ("remark",), 4096)["remark"]
    grouped = store.candidate_values("d", profile, ENTITIES, 100, 3, 4096)  # 573 distinct
    many = replace(profile, distinct_estimate=4000)  # read row by row, as a unique column is
    row_by_row = store_of(people(4000, 7)).candidate_values("d", many, ENTITIES, 100, 3, 4096)
    assert grouped == row_by_row
    assert not grouped.complete and len(grouped.values) == 100
    assert grouped.candidate_rows == 572 and grouped.distinct_candidates > 100


def test_many_candidates_are_sampled_by_seeded_hash() -> None:
    frame = people(4000, 2)
    first = store_of(frame)
    profile = first.profile_columns("d", ("remark",), 4096)["remark"]
    again = store_of(frame.sample(frac=1.0, random_state=1)).candidate_values(
        "d", profile, ENTITIES, 50, 9, 4096
    )
    sample = first.candidate_values("d", profile, ENTITIES, 50, 9, 4096)
    assert sample.values == again.values  # row order does not matter
    assert sample.values != first.candidate_values("d", profile, ENTITIES, 50, 10, 4096).values
    assert all("@" in value for value in sample.values)


def test_a_column_without_candidates_costs_presidio_nothing() -> None:
    store = store_of(people(2000, 10))
    profile = store.profile_columns("d", ("unique",), 4096)["unique"]
    found = store.candidate_values("d", profile, ENTITIES, 1000, 0, 4096)
    assert found.complete and found.values == () and found.candidate_rows == 0
    assert store.distinct_count("d", "unique", 4096) == 2000


def test_values_are_cut_at_the_maximum_length_whichever_length_was_profiled() -> None:
    """The engine leaves the cut out where the profile at that length found no longer value:
    every length still gives the values cut at it."""
    frame = pd.DataFrame({"remark": ["a@b.cd then more text", "no contact", "x@y.z"]})
    store = store_of(frame)
    whole = store.profile_columns("d", ("remark",), 4096)["remark"]
    assert whole.too_long == 0
    found = store.candidate_values("d", whole, ENTITIES, 1000, 0, 4096)
    assert found.values == ("a@b.cd then more text", "x@y.z")
    # not profiled at 8: cut, as when it is
    assert store.candidate_values("d", whole, ENTITIES, 1000, 0, 8).values == ("a@b.cd t", "x@y.z")
    short = store_of(frame)
    cut = short.profile_columns("d", ("remark",), 8)["remark"]
    assert cut.too_long == 2
    assert short.candidate_values("d", cut, ENTITIES, 1000, 0, 8).values == ("a@b.cd t", "x@y.z")
    assert short.distinct_count("d", "remark", 8) == 3
    batches = short.distinct_batches("d", "remark", 10, 8)
    assert [v for batch in batches for v in batch] == ["a@b.cd t", "no conta", "x@y.z"]


class _RecordedConnection:
    """A DuckDB connection that records the statements it runs."""

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self._connection = connection
        self.statements: list[str] = []

    def execute(self, statement: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        self.statements.append(statement)
        return self._connection.execute(statement, parameters)


def _selector_over(frame: pd.DataFrame) -> tuple[CandidateSelector, _RecordedConnection]:
    connection = duckdb.connect(":memory:")
    connection.register("d", frame)
    recorded = _RecordedConnection(connection)
    return CandidateSelector(cast(Any, recorded), quote_identifier), recorded


def _select(
    selector: CandidateSelector, entities: tuple[str, ...], estimate: int
) -> CandidateValues:
    return selector.select(
        '"d"',
        "remark",
        entities,
        text='CAST("remark" AS VARCHAR)',
        size=50,
        seed=4,
        distinct_estimate=estimate,
        rows=4000,
    )


def test_a_second_rule_matches_the_distinct_values_the_first_grouped() -> None:
    """Every PII rule of an audit reads the same columns: a grouped column's distinct values are
    read once, and each rule's answer is the one it gets alone."""
    frame = people(4000, 7)
    selector, recorded = _selector_over(frame)
    first = _select(selector, ("EMAIL_ADDRESS",), 573)
    read = len([s for s in recorded.statements if 'FROM "d"' in s])
    second = _select(selector, ("PHONE_NUMBER", "IBAN_CODE"), 573)
    assert len([s for s in recorded.statements if 'FROM "d"' in s]) == read == 1
    alone, _ = _selector_over(frame)
    assert second == _select(alone, ("PHONE_NUMBER", "IBAN_CODE"), 573)
    assert first == _select(_selector_over(frame)[0], ("EMAIL_ADDRESS",), 573)
    statements = len(recorded.statements)
    assert selector.distinct_count('"d"', 'CAST("remark" AS VARCHAR)') == 573
    assert len(recorded.statements) == statements  # counted while grouping


def test_distinct_values_past_the_budget_are_grouped_again_with_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("governance.data.candidates._KEPT_DISTINCT_VALUES", 100)
    frame = people(4000, 7)
    selector, recorded = _selector_over(frame)
    assert _select(selector, ("EMAIL_ADDRESS",), 573) == _select(selector, ("EMAIL_ADDRESS",), 573)
    assert len([s for s in recorded.statements if 'FROM "d"' in s]) == 2
    assert selector.distinct_count('"d"', 'CAST("remark" AS VARCHAR)') == 573


def test_a_column_whose_every_row_is_a_candidate_is_counted_by_its_candidate_pass() -> None:
    """Read row by row (mostly distinct), the distinct candidates of a column where every row
    matches are its distinct values: no second pass counts them."""
    frame = pd.DataFrame({"remark": [f"user{i % 3000}@mail.example.com" for i in range(4000)]})
    selector, recorded = _selector_over(frame)
    found = _select(selector, ("EMAIL_ADDRESS",), 3000)
    statements = len(recorded.statements)
    assert selector.distinct_count('"d"', 'CAST("remark" AS VARCHAR)') == 3000
    assert len(recorded.statements) == statements
    assert found.distinct_candidates == 3000


def test_a_column_with_rows_outside_the_candidates_is_counted_exactly() -> None:
    selector, _ = _selector_over(people(4000, 7))
    found = _select(selector, ("EMAIL_ADDRESS",), 4000)  # read row by row
    assert found.candidate_rows == 572
    assert selector.distinct_count('"d"', 'CAST("remark" AS VARCHAR)') == 573
