"""Reading the git state of the manifest's work tree, without trusting the repository.

A manifest may come from an untrusted checkout, and git runs code named in a repository's own
configuration: `core.fsmonitor` on most commands, hooks, external diff and textconv drivers,
clean/smudge filter drivers when it compares a file's content, `core.sshCommand` and credential
helpers when it talks to a remote. So git runs here only through `_git`: read-only plumbing
commands (`rev-parse`, `symbolic-ref`, `config --get-regexp`, `ls-files`, `diff-index
--raw`), with every one of those settings overridden on the command line (filter
drivers by the names the configuration defines, since they cannot be switched off as a
whole), no optional locks (nothing writes the index), no pager, no prompt, no network
(`protocol.allow=never`), `GIT_*` variables of the caller removed (they could point git at
another repository), and a timeout. A repository git cannot or will not read (none, git not
installed, "dubious ownership") is recorded as absent with the reason, never an error.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from governance.engine.source_control import (
    InputState,
    SourceControl,
    UncommittedInput,
)

GIT_TIMEOUT_SECONDS = 10.0
_HARDENING = (
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
    "core.untrackedCache=false",
    "core.sshCommand=false",
    "core.askPass=",
    "core.pager=cat",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
)
_FILTER_KEY = re.compile(r"^filter\.(.+)\.(?:clean|smudge|process|required)$")
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>.*)$")


class _GitUnavailable(Exception):
    """Why nothing can be recorded (the message is the recorded reason)."""


def read_source_control(folder: Path, inputs: Sequence[tuple[Path, str]]) -> SourceControl:
    """The git state of the work tree holding `folder`; `inputs` are the audited files
    (resolved path, name in the report), whose uncommitted ones are listed."""
    try:
        return _Repository(folder).state(inputs)
    except _GitUnavailable as unavailable:
        return SourceControl.absent(str(unavailable))


class _Repository:
    def __init__(self, folder: Path) -> None:
        self.top = Path(_run(["rev-parse", "--show-toplevel"], folder, _HARDENING).strip("\n"))
        try:
            filters = _run(_FILTERS, self.top, _HARDENING)
        except _GitUnavailable:  # none defined
            filters = ""
        self.overrides = _HARDENING + _filter_overrides(filters)

    def git(self, *args: str) -> str:
        return _run(list(args), self.top, self.overrides)

    def state(self, inputs: Sequence[tuple[Path, str]]) -> SourceControl:
        try:
            commit = self.git("rev-parse", "-q", "--verify", "HEAD^{commit}").strip()
        except _GitUnavailable:
            raise _GitUnavailable("the git repository has no commit yet") from None
        changes = _verified_changes(
            self.git("diff-index", "-z", "--raw", "--no-renames", "HEAD", "--"), self.top
        )
        return SourceControl(
            commit=commit,
            branch=self._branch(),
            dirty=bool(changes),
            remote=self._remote(),
            uncommitted_inputs=self._uncommitted(inputs, changes),
        )

    def _branch(self) -> str | None:
        try:
            return self.git("symbolic-ref", "-q", "--short", "HEAD").strip() or None
        except _GitUnavailable:  # detached HEAD
            return None

    def _remote(self) -> str | None:
        try:
            listed = self.git("config", "-z", "--get-regexp", r"^remote\..*\.url$")
        except _GitUnavailable:  # no remote
            return None
        urls = dict(entry.split("\n", 1) for entry in listed.split("\0") if entry and "\n" in entry)
        chosen = urls.get("remote.origin.url") or (urls[min(urls)] if urls else None)
        return None if chosen is None else public_remote_url(chosen)

    def _uncommitted(
        self, inputs: Sequence[tuple[Path, str]], changes: dict[str, str]
    ) -> tuple[UncommittedInput, ...]:
        inside = {name: _relative(path, self.top) for path, name in inputs}
        inside_paths = [p for p in inside.values() if p is not None]
        untracked = set(
            filter(None, self.git("ls-files", "-z", "--others", "--", *inside_paths).split("\0"))
            if inside_paths
            else ()
        )
        found = []
        for name, relative in inside.items():
            if relative is None:
                found.append(UncommittedInput(path=name, state=InputState.OUTSIDE))
            elif relative in untracked:
                found.append(UncommittedInput(path=name, state=InputState.UNTRACKED))
            elif relative in changes:
                state = InputState.ADDED if changes[relative] == "A" else InputState.MODIFIED
                found.append(UncommittedInput(path=name, state=state))
        return tuple(found)


_FILTERS = ["config", "-z", "--get-regexp", r"^filter\."]


def _filter_overrides(listed: str) -> tuple[str, ...]:
    """Every filter driver the configuration defines, switched off: empty commands, not
    required."""
    names = sorted(
        {
            match.group(1)
            for entry in listed.split("\0")
            if (match := _FILTER_KEY.match(entry.split("\n", 1)[0]))
        }
    )
    return tuple(
        f"filter.{name}.{key}={'false' if key == 'required' else ''}"
        for name in names
        for key in ("clean", "smudge", "process", "required")
    )


def _verified_changes(raw: str, top: Path) -> dict[str, str]:
    """Path → status letter (`M`, `A`, `D`, ...) of each file that differs from HEAD, from
    `diff-index -z --raw HEAD`. Plumbing does not refresh the index, so a file whose times
    changed but not its content (touched, copied back) is listed with an unknown work-tree
    object; its content is hashed here as git hashes a blob (no filter) and compared with
    the committed one, so that only real changes count."""
    fields = raw.split("\0")
    changes = {}
    for header, path in zip(fields[0:-1:2], fields[1::2], strict=False):
        parts = header.lstrip(":").split()
        if len(parts) != 5:
            continue
        mode, mode_now, committed, staged, status = parts
        unchanged = (
            status == "M"
            and mode_now == mode
            and set(staged) == {"0"}
            and mode in _REGULAR_FILES
            and _blob_id(top / path, len(committed)) == committed
        )
        if not unchanged:
            changes[path] = status[:1]
    return changes


_REGULAR_FILES = frozenset({"100644", "100755"})


def _blob_id(path: Path, length: int) -> str | None:
    """The git object id of `path`'s content as a blob (sha1, or sha256 in a sha256
    repository: told by the id's length), or None when it cannot be read."""
    digest = hashlib.sha1 if length == 40 else hashlib.sha256
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            hasher = digest(b"blob %d\0" % size, usedforsecurity=False)
            while chunk := file.read(1 << 20):
                hasher.update(chunk)
    except OSError:
        return None
    return hasher.hexdigest()


def _relative(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def public_remote_url(url: str) -> str:
    """`url` without credentials: the user and password (or token) of a URL, and its query and
    fragment (where some hosts take tokens), are removed; `git@host:org/x.git` loses `git@`.
    Split by hand, never by `urlsplit`, which raises on a port or IPv6 host it cannot read."""
    if "://" in url:
        scheme, _, rest = url.partition("://")
        authority, slash, path = rest.partition("/")
        return f"{scheme}://{authority.rpartition('@')[2]}{slash}{_without_query(path)}"
    scp = _SCP_LIKE.match(url)
    if scp and not url.startswith("/"):
        return f"{scp.group('host')}:{_without_query(scp.group('path'))}"
    return url


def _without_query(path: str) -> str:
    return re.split(r"[?#]", path, maxsplit=1)[0]


def _run(args: list[str], cwd: Path, overrides: Iterable[str]) -> str:
    options = [item for value in overrides for item in ("-c", value)]
    command = ["git", "--no-pager", "--no-optional-locks", *options, *args]
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=_environment(),
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise _GitUnavailable("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise _GitUnavailable(f"git did not answer within {GIT_TIMEOUT_SECONDS:g} s") from None
    except OSError as error:
        raise _GitUnavailable(f"git could not be run ({type(error).__name__})") from None
    if done.returncode != 0:
        raise _GitUnavailable(_refusal(done.stderr.decode("utf-8", "replace")))
    return done.stdout.decode("utf-8", "surrogateescape")


def _refusal(stderr: str) -> str:
    if "dubious ownership" in stderr:
        return "git refuses the repository: dubious ownership (see git's safe.directory)"
    if "not a git repository" in stderr:
        return "the manifest's folder is not in a git work tree"
    return "git could not read the repository"


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment.update(
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_LITERAL_PATHSPECS="1",  # an input named `:(glob)*` or `[a].csv` is that file
        GIT_CONFIG_NOSYSTEM="1",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return environment
