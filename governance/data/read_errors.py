"""Turning a failure to read a dataset file into one sentence that quotes no data.

DuckDB's messages can quote the offending line or value ("Original Line: ...", "Could not
convert string 'jane@example.com'"), which may be personal data. We keep only what names the
problem, never the text around it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from governance.data.format_sniffing import csv_delimiter
from governance.regular_files import open_regular_file

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_LINE = re.compile(r"CSV Error on Line: (\d+)")
_MAX = 160


def describe_read_error(error: Exception, path: Path, file_format: str) -> str:
    """What went wrong reading `path`, without any of its content."""
    text = str(error)
    line = _LINE.search(text)
    at = f" (line {line.group(1)})" if line else ""
    if "not utf-8 encoded" in text or "Invalid unicode" in text:
        return f"it is not UTF-8 encoded{at}; re-save it as UTF-8"
    if "Maximum line size" in text:
        return f"a line is longer than the reader's limit{at}"
    if file_format == "csv" and ("sniffing" in text or "Expected Number of Columns" in text):
        return _ragged_rows(path) or f"its rows could not be parsed as CSV{at}"
    first = _QUOTED.sub("…", text.splitlines()[0] if text else type(error).__name__)
    return first[:_MAX]


def _ragged_rows(path: Path) -> str | None:
    """The first row whose number of fields differs from the header's, if any."""
    delimiter = csv_delimiter(path)
    try:
        with io.TextIOWrapper(open_regular_file(path), encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                return None
            for row in reader:
                if row and len(row) != len(header):
                    return (
                        f"line {reader.line_num} has {len(row)} fields but the header has "
                        f"{len(header)} (ragged rows)"
                    )
    except (UnicodeDecodeError, csv.Error, OSError):
        return None
    return None
