"""The audit's input files: which they are, how reports name them, their digests, and a
check that none changed while the audit ran."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from governance.engine.audit_definition import load_policies
from governance.engine.result import InputFile
from governance.errors import InputError, SourceLocation
from governance.hashing import file_sha256
from governance.manifest import LoadedManifest, load_manifest, referenced_files
from governance.policy.loader import PolicySet


def hash_manifest_inputs(manifest_path: Path) -> tuple[InputFile, ...]:
    """The inputs an audit of `manifest_path` would record, hashed now, named as in reports
    (used by `governance verify --inputs` to find files changed since an audit)."""
    manifest = load_manifest(manifest_path)
    policies = load_policies(manifest, with_rules=False)
    return hash_inputs(input_files(manifest, policies), manifest, policies)


def input_files(manifest: LoadedManifest, policies: PolicySet) -> dict[Path, str]:
    """Every input file of the audit (each once) and its role."""
    files: dict[Path, str] = {}
    for role, path in [
        ("manifest", manifest.path),
        *(("policy", source.path) for source in policies.sources),
        *((role, path) for role, _, path in referenced_files(manifest.manifest)),
    ]:
        files.setdefault(path.resolve(), role)
    return files


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


FileState = tuple[int, int]


def file_states(paths: Iterable[Path]) -> dict[Path, FileState]:
    states = {}
    for path in paths:
        status = path.stat()
        states[path] = (status.st_size, status.st_mtime_ns)
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
