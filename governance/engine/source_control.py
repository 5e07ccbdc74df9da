"""What the audit records about the git work tree its manifest sits in: the values only (the
reading is `governance.engine.git_reader`)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.output_text import Address, FileName, Identifier, Prose

COMMIT_PATTERN = r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$"
"""A SHA-1 or SHA-256 object name: an edited audit.json cannot put other text where the
diff and the report print a commit."""
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>.*)$")


class InputState(StrEnum):
    MODIFIED = "modified"
    """Committed, and changed in the work tree since."""
    ADDED = "added"
    """In the index, not yet in a commit."""
    UNTRACKED = "untracked"
    """Not in git at all (ignored files included)."""
    OUTSIDE = "outside"
    """Not inside the work tree (a file reached through `--allow-path`)."""


class UncommittedInput(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    path: FileName
    """As the report names the input (relative to the manifest's folder)."""
    state: InputState


class SourceControl(BaseModel, DocumentedFields):
    """The git state of the manifest's work tree at the audit, or why there is none."""

    model_config = ConfigDict(frozen=True)

    absent_reason: Prose | None = None
    """Why nothing is recorded (no git repository, git not installed, a repository git
    refuses as of dubious ownership, ...); None when the state below is recorded."""
    commit: Annotated[str, Field(pattern=COMMIT_PATTERN)] | None = None
    """The commit checked out (HEAD), as hex."""
    branch: Identifier | None = None
    """The branch checked out (masked like any identifier); None on a detached HEAD."""
    dirty: bool | None = None
    """Whether a tracked file differs from the commit (untracked files do not count)."""
    remote: Address | None = None
    """The fetch URL of `origin` (else of the first remote), without credentials: user,
    password or token, query and fragment removed."""
    uncommitted_inputs: tuple[UncommittedInput, ...] = ()
    """The audited input files not as committed, in the order of `inputs`."""

    @classmethod
    def absent(cls, reason: str) -> SourceControl:
        return cls(absent_reason=reason)

    def commit_descriptor(self) -> dict[str, Any] | None:
        """The commit as an in-toto ResourceDescriptor: `{"uri": "git+https://host/x.git",
        "digest": {"gitCommit": ...}}` (no `uri` without a remote); None when absent."""
        if self.commit is None:
            return None
        uri = _resource_uri(self.remote)
        return {**({"uri": uri} if uri else {}), "digest": {"gitCommit": self.commit}}


def _resource_uri(remote: str | None) -> str | None:
    """A remote URL as a resource URI: `git+` before its scheme; an scp-like address
    (`host:org/x.git`) as `git+ssh://host/org/x.git`; a local path as `git+file://`."""
    if remote is None:
        return None
    if "://" in remote:
        return remote if remote.startswith("git+") else f"git+{remote}"
    if remote.startswith("/"):
        return f"git+file://{remote}"
    scp = _SCP_LIKE.match(remote)
    return f"git+ssh://{scp.group('host')}/{scp.group('path')}" if scp else None
