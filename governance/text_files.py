"""Reading the small text inputs (manifests, policies, waivers, Markdown documents) safely."""

from __future__ import annotations

from pathlib import Path

from governance.errors import InputError, SourceLocation
from governance.regular_files import NotRegularFile, open_regular_file

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""Larger manifests, policies or documents are refused: they are hand-written files, and a
huge one is a mistake (a dataset passed by accident) or an attack on the parser."""


def read_text_file(path: Path, what: str) -> str:
    """Return the UTF-8 text of `path`, or raise an InputError naming the file and the problem."""
    location = SourceLocation(path)
    try:
        with open_regular_file(path) as stream:
            raw = stream.read(MAX_TEXT_BYTES + 1)
        if len(raw) > MAX_TEXT_BYTES:
            raise InputError(
                f"{what} is larger than the limit of {MAX_TEXT_BYTES:,} bytes", location=location
            )
    except NotRegularFile as refused:  # a device or a pipe (/dev/zero) would never end
        raise InputError(f"{what} is {refused.kind}, not a file", location=location) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory, not a file", location=location) from None
    except FileNotFoundError:
        raise InputError(f"{what} not found", location=location) from None
    except PermissionError:
        raise InputError(f"{what} is not readable (permission denied)", location=location) from None
    except OSError as error:
        raise InputError(f"{what} could not be read: {error.strerror}", location=location) from None
    if b"\x00" in raw:
        raise InputError(f"{what} is a binary file, not text", location=location)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"{what} is not UTF-8 text (invalid byte at offset {error.start})",
            location=SourceLocation(path, line=line),
        ) from None
    return text
