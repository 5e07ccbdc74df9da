"""A cheap look at a file's first bytes, so a file whose content is not the format its
extension (or `format:`) says is reported as such instead of being misread."""

from __future__ import annotations

from pathlib import Path

from governance.errors import InputFileError, SourceLocation
from governance.regular_files import open_regular_file

_PARQUET_MAGIC = b"PAR1"
_PEEK = 4096


def check_content_matches(path: Path, file_format: str) -> None:
    """Raise `InputFileError` when the content of `path` is plainly not `file_format`."""
    with open_regular_file(path) as stream:
        head = stream.read(_PEEK)
    problem = _problem(head, file_format)
    if problem:
        raise InputFileError(
            f"'{path.name}' is not a {file_format.upper()} file: {problem}",
            location=SourceLocation(path),
            hint="fix the file, or set 'format:' on the dataset to what the file holds",
        )


def _problem(head: bytes, file_format: str) -> str | None:
    if not head:
        return "it is empty (0 bytes)"
    if file_format == "parquet":
        return None if head.startswith(_PARQUET_MAGIC) else "it lacks the Parquet magic bytes"
    if head.startswith(_PARQUET_MAGIC):
        return "it holds Parquet data"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it holds binary data, not text"
    if file_format == "jsonl" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "its first line is not a JSON object"
    return None
