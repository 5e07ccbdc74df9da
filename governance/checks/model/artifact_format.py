"""Telling a model file's format from its content, never its extension, without loading it.

- skops: a ZIP archive whose members include `schema.json` (what `skops.io.dump` writes);
- ONNX: a protocol-buffer `ModelProto` whose top-level fields all parse, with an `ir_version`
  (field 1) and a `graph` (field 7); fields are walked by their lengths, nothing is decoded;
- pickle: a pickle protocol 2+ header (`0x80` then the protocol), bare or inside a joblib,
  gzip, zlib, bz2 or xz stream (joblib's compressed dumps are pickles too);
- anything else: unknown.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from governance.checks.model.spec import ArtifactFormat
from governance.regular_files import open_regular_file

_ZIP = b"PK\x03\x04"
_COMPRESSED = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"ZF": "joblib zlib",
}
_ZLIB_SECOND_BYTES = frozenset({0x01, 0x5E, 0x9C, 0xDA})
_ONNX_FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2}
"""ModelProto's fields (onnx.proto) and their wire types (0 varint, 2 length-delimited)."""
_MAX_TOP_LEVEL_FIELDS = 100_000


@dataclass(frozen=True)
class SniffedFormat:
    format: ArtifactFormat
    detail: str


def sniff_format(path: Path) -> SniffedFormat:
    with open_regular_file(path) as stream:
        head = stream.read(8)
        if head.startswith(_ZIP):
            return _zip_format(path)
        if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
            return SniffedFormat(ArtifactFormat.PICKLE, f"pickle protocol {head[1]}")
        for magic, name in _COMPRESSED.items():
            if head.startswith(magic):
                return SniffedFormat(
                    ArtifactFormat.PICKLE, f"{name}-compressed stream (a joblib dump)"
                )
        if len(head) >= 2 and head[0] == 0x78 and head[1] in _ZLIB_SECOND_BYTES:
            return SniffedFormat(ArtifactFormat.PICKLE, "zlib-compressed stream (a joblib dump)")
        stream.seek(0)
        if _is_onnx_model(stream):
            return SniffedFormat(ArtifactFormat.ONNX, "ONNX ModelProto")
    return SniffedFormat(ArtifactFormat.UNKNOWN, "not skops, ONNX or pickle")


def _zip_format(path: Path) -> SniffedFormat:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return SniffedFormat(ArtifactFormat.UNKNOWN, "a damaged ZIP archive")
    if "schema.json" in names:
        return SniffedFormat(ArtifactFormat.SKOPS, "skops archive")
    if any(name.endswith(".pkl") or name.endswith("data.pkl") for name in names):
        return SniffedFormat(ArtifactFormat.PICKLE, "ZIP archive holding pickles")
    return SniffedFormat(ArtifactFormat.UNKNOWN, "a ZIP archive that is not a skops file")


def _is_onnx_model(stream: BinaryIO) -> bool:
    size = stream.seek(0, 2)
    stream.seek(0)
    seen: set[int] = set()
    for _ in range(_MAX_TOP_LEVEL_FIELDS):
        if stream.tell() == size:
            return 1 in seen and 7 in seen
        key = _varint(stream)
        if key is None or _ONNX_FIELDS.get(key >> 3) != key & 7:
            return False
        seen.add(key >> 3)
        value = _varint(stream)
        if value is None or (key & 7 == 2 and stream.seek(value, 1) > size):
            return False
    return False


def _varint(stream: BinaryIO) -> int | None:
    """The next base-128 varint, or None at the end of the stream (or a broken one)."""
    value = 0
    for shift in range(0, 70, 7):
        byte = stream.read(1)
        if not byte:
            return None
        value |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            return value
    return None
