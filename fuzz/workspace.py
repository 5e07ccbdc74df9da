"""A private copy of the hiring example that targets write their generated files into, so a
generated manifest or policy can name files that exist and get past the existence checks."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hiring"
"""Seed files for the mutation strategies, and the folder copied into the workspace."""


@functools.cache
def example_copy() -> Path:
    """A copy of the hiring example, removed when the process exits."""
    root = Path(tempfile.mkdtemp(prefix="governance-fuzz-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    folder = root / "hiring"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("*.py", "*.sh"))
    return folder


@functools.cache
def scratch_folder() -> Path:
    """An empty folder for files that need no neighbours (datasets, documents)."""
    folder = example_copy().parent / "scratch"
    folder.mkdir()
    return folder


def seed(*parts: str) -> bytes:
    """The bytes of a file of the hiring example."""
    return EXAMPLE.joinpath(*parts).read_bytes()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
