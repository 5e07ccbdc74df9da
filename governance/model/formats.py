"""Which serialisation a model artifact uses, told from its name and checked against its bytes:
a pickle renamed `model.skops` is still a pickle."""

from __future__ import annotations

import zipfile
from enum import StrEnum
from io import BytesIO
from pathlib import Path


class ModelFormat(StrEnum):
    SKOPS = "skops"
    ONNX = "onnx"
    PICKLE = "pickle"
    """Pickle or joblib: loading one runs whatever code it names."""


_EXTENSIONS = {
    ".skops": ModelFormat.SKOPS,
    ".onnx": ModelFormat.ONNX,
    ".pkl": ModelFormat.PICKLE,
    ".pickle": ModelFormat.PICKLE,
    ".joblib": ModelFormat.PICKLE,
}
_PICKLE_PROTOCOL = 0x80
"""The first byte of a pickle of protocol 2 and later (joblib writes those)."""


class UnknownFormat(ValueError):
    """The artifact's name or content is not one of `ModelFormat`."""


def artifact_format(path: Path, content: bytes) -> ModelFormat:
    """The artifact's format: from its extension, unless its bytes say it is a pickle."""
    if content[:1] == bytes([_PICKLE_PROTOCOL]):
        return ModelFormat.PICKLE
    suffix = path.suffix.lower()
    if suffix not in _EXTENSIONS:
        known = ", ".join(sorted(_EXTENSIONS))
        raise UnknownFormat(f"its extension is not one of {known}")
    found = _EXTENSIONS[suffix]
    if found is ModelFormat.SKOPS and not zipfile.is_zipfile(BytesIO(content)):
        raise UnknownFormat("it is not a skops file (a zip archive), or it is truncated")
    return found
