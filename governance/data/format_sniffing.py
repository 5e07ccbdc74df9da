"""A cheap look at a file's first bytes, so a file whose content is not the format its
extension (or `format:`) says is reported as such instead of being misread."""

from __future__ import annotations

from pathlib import Path

from governance.errors import InputFileError, SourceLocation
from governance.regular_files import open_regular_file

_PARQUET_MAGIC = b"PAR1"
_PEEK = 4096
_ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_EXPORT = "export the sheet as CSV (UTF-8) or Parquet and name that file"
"""What to do with a workbook named as a dataset, whether told by its name or its bytes."""


def check_content_matches(path: Path, file_format: str) -> None:
    """Raise `InputFileError` when the content of `path` is plainly not `file_format`."""
    with open_regular_file(path) as stream:
        head = stream.read(_PEEK)
    problem = _problem(head, file_format) or (
        _separator_problem(head, csv_delimiter(path)) if file_format == "csv" else None
    )
    if problem:
        text, hint = problem
        raise InputFileError(
            f"'{path.name}' is not a {file_format.upper()} file: {text}",
            location=SourceLocation(path),
            hint=hint,
        )


def csv_delimiter(path: Path) -> str:
    """The one delimiter a CSV file is read with: a tab in a `.tsv` file, else a comma."""
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _problem(head: bytes, file_format: str) -> tuple[str, str] | None:
    """What plainly contradicts `file_format` in the file's first bytes, and what to do."""
    fix = "fix the file, or set 'format:' on the dataset to what the file holds"
    if not head:
        return "it is empty (0 bytes)", fix
    if file_format == "parquet":
        magic = head.startswith(_PARQUET_MAGIC)
        return None if magic else ("it lacks the Parquet magic bytes", fix)
    if head.startswith(_PARQUET_MAGIC):
        return "it holds Parquet data", fix
    if head.startswith(_ZIP_MAGIC):
        return "it is a ZIP archive (an Excel or OpenDocument workbook is one)", SPREADSHEET_EXPORT
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it holds binary data, not text", fix
    if file_format == "jsonl" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "its first line is not a JSON object", fix
    return None


def _separator_problem(head: bytes, delimiter: str) -> tuple[str, str] | None:
    """A header line without the delimiter but with another common one: the file was saved
    with another separator (a spreadsheet in a locale whose decimal mark is a comma writes
    ';'), and would read as one column whose name is the whole line."""
    lines = head.split(b"\n")
    header = lines[0]
    if delimiter.encode() in header:
        return None
    # The next line, when the peek holds it whole, must split the same way: a one-column file
    # whose header reads "comments (free text; optional)" is not a file saved with ';'.
    following = lines[1] if len(lines) > 2 else None
    for other in (";", "\t", "|"):
        separator = other.encode()
        if other == delimiter or separator not in header:
            continue
        if following is not None and following.count(separator) != header.count(separator):
            continue
        shown, expected = (repr(d) if d == "\t" else f"'{d}'" for d in (other, delimiter))
        return (
            f"its header line separates names with {shown}, not {expected}",
            f"save it with {expected} between values (a .tsv file is read with tabs), "
            "or as Parquet",
        )
    return None
