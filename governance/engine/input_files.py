"""The audit's input files: which they are, how reports name them, their digests, and a
check that none changed while the audit ran."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from governance.data.engine import DataEngine
from governance.engine.audit_definition import load_policies
from governance.engine.result import InputFile
from governance.errors import InputError, SourceLocation
from governance.hashing import file_sha256
from governance.manifest import MEMORY_PREFIX, LoadedManifest, load_manifest, referenced_files
from governance.personal_data.identifiers import mask_identifier
from governance.policy.loader import PolicySet


def hash_manifest_inputs(
    manifest_path: Path, *, allowed: Iterable[Path] = (), in_memory: frozenset[str] = frozenset()
) -> tuple[InputFile, ...]:
    """The input files an audit of `manifest_path` would record, hashed now, named as in
    reports (used by `governance verify --inputs` to find files changed since an audit), read
    under the same confinement as the audit. Datasets `in_memory` were frames, not files."""
    manifest = load_manifest(manifest_path, allowed=allowed, in_memory=in_memory)
    policies = load_policies(manifest, with_rules=False)
    return hash_inputs(input_files(manifest, policies, in_memory), manifest, policies)


def input_files(
    manifest: LoadedManifest, policies: PolicySet, in_memory: frozenset[str] = frozenset()
) -> dict[Path, str]:
    """Every input file of the audit (each once) and its role; the file of a dataset passed
    in memory is not one (the frame is audited, and hashed by `frame_inputs`)."""
    files: dict[Path, str] = {}
    for role, path in [
        ("manifest", manifest.path),
        *(("policy", source.path) for source in policies.sources),
        *(("catalog", path) for path in policies.catalog.files),
        *(
            (role, path)
            for role, where, path in referenced_files(manifest.manifest)
            if not (role == "dataset" and where[1] in in_memory)
        ),
    ]:
        for file in _files_of(path):
            files.setdefault(file.resolve(), role)
    return files


def _files_of(path: Path) -> list[Path]:
    """`path`, or every file under it when it is a folder (a dataset Spark reads as a folder
    of parts, or a Delta table with its log), in path order."""
    if not path.is_dir():
        return [path]
    return sorted(file for file in path.rglob("*") if file.is_file())


def frame_inputs(manifest: LoadedManifest, store: DataEngine) -> tuple[InputFile, ...]:
    """The datasets passed in memory, as inputs named `memory:NAME` with the digest of what
    the engine reads from each frame (`DataEngine.in_memory_digest`), in manifest order."""
    hashed = []
    for name in manifest.manifest.datasets:
        if store.in_memory(name):
            digest = store.in_memory_digest(name)
            hashed.append(
                InputFile(
                    role="dataset",
                    path=f"{MEMORY_PREFIX}{mask_identifier(name)}",
                    sha256=digest.sha256,
                    size=digest.size,
                )
            )
    return tuple(hashed)


def hash_inputs(
    files: dict[Path, str], manifest: LoadedManifest, policies: PolicySet
) -> tuple[InputFile, ...]:
    """The sha256 and size of every input, streamed, named as reports name them."""
    hashed = []
    for path, role in files.items():
        digest, size = file_sha256(path)
        hashed.append(
            InputFile(
                role=role,
                path=display_name(path, manifest, policies),
                sha256=digest,
                size=size,
            )
        )
    return tuple(hashed)


FileState = tuple[int, int, int, int, int]


def file_states(paths: Iterable[Path]) -> dict[Path, FileState]:
    """Identity, type, size and time of each (real) path, not following a link: a file
    replaced by another, or by a link, between confinement and the end of the audit shows."""
    states = {}
    for path in paths:
        status = os.lstat(path)
        states[path] = (
            status.st_dev,
            status.st_ino,
            status.st_mode,
            status.st_size,
            status.st_mtime_ns,
        )
    return states


def check_unchanged(before: dict[Path, FileState], manifest: LoadedManifest) -> None:
    """The recorded sha256 must be that of the data checked: an input that changed between
    hashing and the end of the checks makes the audit meaningless, so it stops."""
    after = file_states(before)
    for path, state in before.items():
        if after[path] != state:
            raise InputError(
                f"{manifest.display_path(path)} changed while it was being audited",
                location=SourceLocation(path),
                hint="run the audit again once the file is no longer being written",
            )


def display_name(path: Path, manifest: LoadedManifest, policies: PolicySet) -> str:
    """How reports name a file: `builtin:NAME` for a shipped pack, else relative to the
    manifest's folder, so reports do not depend on where the audit ran."""
    for source in policies.sources:
        if source.builtin and source.path == path:
            return source.reference
    return manifest.display_path(path)
