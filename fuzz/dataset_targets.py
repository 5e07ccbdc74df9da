"""Targets over the dataset readers: CSV and JSON Lines files read by `DatasetStore`, then
counted, profiled and sampled the way the checks do."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from hypothesis import strategies as st

from fuzz.mutation import apply_edits, edits
from fuzz.workspace import scratch_folder, seed, write
from governance.data.store import DatasetStore
from governance.errors import GovernanceError
from governance.manifest import DatasetSpec

_LARGE = 10_001
"""Rows (at least) past the store's short-table limit, so the large-table queries run too."""

_CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            '"',
            '""',
            ",",
            "\t",
            "\n",
            "\r\n",
            "\x00",
            "\ufeff",
            "NULL",
            "NaN",
            "-0",
            "1e400",
            "2027-02-30",
            "true",
            "9" * 40,
            "x" * 5000,
            "\u202e",
            "a,b",
            'a"b',
        ]
    ),
    st.integers().map(str),
    st.floats().map(repr),
)
_ROWS = st.lists(st.lists(_CELLS, min_size=1, max_size=5), min_size=1, max_size=8)


def _csv_text(rows: list[list[str]], quoting: Literal[0, 1, 2, 3], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def _raw_csv(rows: list[list[str]], separator: bytes, encoding: str) -> bytes:
    """Rows joined without quoting: ragged, with stray quotes, in a maybe-wrong encoding."""
    lines = [b",".join(cell.encode(encoding, errors="replace") for cell in row) for row in rows]
    return separator.join(lines)


def csv_files() -> st.SearchStrategy[tuple[bytes, int]]:
    """(file content, how many times its body is repeated)."""
    written = st.builds(
        _csv_text,
        _ROWS,
        st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
        st.just(","),
    )
    raw = st.builds(
        _raw_csv,
        _ROWS,
        st.sampled_from([b"\n", b"\r\n", b"\r", b"\n\n"]),
        st.sampled_from(["utf-8", "latin-1", "utf-16"]),
    )
    prefixed = st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xff", b"PAR1"]),
        st.one_of(written, raw),
    )
    seeded = st.builds(apply_edits, st.just(seed("data", "applicants.csv")[:4000]), edits())
    content = st.one_of(prefixed, st.builds(apply_edits, prefixed, edits()), seeded)
    return st.tuples(content, st.sampled_from([1, 1, 1, _LARGE]))


_JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(-(2**80), 2**80),
        st.floats(allow_nan=False),
        st.text(max_size=10),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = st.one_of(st.sampled_from(["a", "b", "sex", "", " ", '"', "A", "a.b"]), st.text(max_size=6))


def _jsonl(records: list[Any], separator: bytes) -> bytes:
    return separator.join(
        json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass") for r in records
    )


def jsonl_files() -> st.SearchStrategy[tuple[bytes, int]]:
    records = st.lists(
        st.one_of(st.dictionaries(_KEYS, _JSON_VALUES, max_size=4), _JSON_VALUES),
        min_size=1,
        max_size=6,
    )
    written = st.builds(_jsonl, records, st.sampled_from([b"\n", b"\r\n", b"\n\n"]))
    content = st.one_of(written, st.builds(apply_edits, written, edits()))
    return st.tuples(content, st.sampled_from([1, 1, 1, _LARGE]))


def _read_dataset(data: bytes, repeat: int, suffix: str) -> None:
    if repeat > 1:  # enough rows for the large-table queries, in a few megabytes at most
        header, _, body = data.partition(b"\n")
        lines = body.rstrip(b"\n")[:256] + b"\n"
        data = header + b"\n" + lines * -(-repeat // max(lines.count(b"\n"), 1))
    path = write(scratch_folder() / f"data{suffix}", data)
    store = DatasetStore({"fuzzed": DatasetSpec(path=path)})
    try:
        store.row_count("fuzzed")
        columns = store.columns("fuzzed")
        profiles = store.profile_columns("fuzzed", columns, max_length=64)
        store.distinct_samples("fuzzed", tuple(profiles.values()), size=5, seed=7, max_length=64)
    except GovernanceError:
        pass
    finally:
        store.close()


def read_csv(case: tuple[bytes, int]) -> None:
    _read_dataset(*case, suffix=".csv")


def read_jsonl(case: tuple[bytes, int]) -> None:
    _read_dataset(*case, suffix=".jsonl")
