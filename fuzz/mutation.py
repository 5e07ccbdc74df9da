"""Byte-level mutation of seed files, drawn by hypothesis so failures shrink to few edits."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

INTERESTING = (
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xef\xbb\xbf",  # UTF-8 byte order mark
    b"\xed\xa0\x80",  # an encoded lone surrogate: not UTF-8
    b"\xc3",  # a truncated two-byte sequence
    b"\r",
    b"\n",
    b"\r\n",
    b"\t",
    b'"',
    b"'",
    b",",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b"---\n",
    b"- ",
    b": ",
    b"? ",
    b"&a ",
    b"*a",
    b"<<: ",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"!!timestamp ",
    b"%YAML 1.1\n",
    b"# ",
    b"```\n",
    b"=====\n",
    b"1e999",
    b"-0",
    b"2027-02-30",
    b"99999999999999999999999999",
    b".nan",
    b"null",
    b"\xe2\x80\xae",  # right-to-left override
)

_OPERATIONS = ("flip", "insert", "delete", "replace", "duplicate", "truncate")
_Edit = tuple[str, int, bytes]


def edits() -> st.SearchStrategy[list[_Edit]]:
    """A few edits: (operation, position, bytes), positions taken modulo the data's length."""
    payload = st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=24))
    return st.lists(
        st.tuples(st.sampled_from(_OPERATIONS), st.integers(0, 2**20), payload), max_size=6
    )


def apply_edits(data: bytes, changes: Sequence[_Edit]) -> bytes:
    """`data` with each edit applied in turn."""
    buffer = bytearray(data)
    for operation, position, payload in changes:
        at = position % (len(buffer) + 1)
        if operation == "flip" and buffer:
            index = position % len(buffer)
            buffer[index] ^= 1 << (payload[0] % 8)
        elif operation == "insert":
            buffer[at:at] = payload
        elif operation == "delete":
            del buffer[at : at + len(payload)]
        elif operation == "replace":
            buffer[at : at + len(payload)] = payload
        elif operation == "duplicate":
            chunk = buffer[at : at + 1 + payload[0] * 4]
            buffer[at:at] = chunk
        elif operation == "truncate":
            del buffer[at:]
    return bytes(buffer)


def mutated(seeds: Sequence[bytes]) -> st.SearchStrategy[bytes]:
    """One of `seeds`, edited."""
    return st.builds(apply_edits, st.sampled_from(seeds), edits())
