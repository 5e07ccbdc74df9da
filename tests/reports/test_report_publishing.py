"""Publishing a report folder: the whole set at once, a lock, an index of what the tool wrote,
and no file of anyone else's ever deleted — whatever step fails or is killed."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from governance.errors import OutputError
from governance.report_folder import leftovers, lock, publishing, swap
from governance.report_folder.index import INDEX_FILE, index_bytes
from governance.report_folder.lock import folder_lock
from governance.report_folder.publishing import publish_reports

OLD = {"audit.json": b"old audit", "summary.md": b"old summary", "report.sarif": b"old sarif"}
NEW = {"audit.json": b"new audit", "summary.md": b"new summary", "junit.xml": b"new junit"}
USERS_FILE = ("notes.txt", b"the user's own notes")


def _complete(files: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, INDEX_FILE: index_bytes(files)}


def _tool_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != USERS_FILE[0]}


def _staging_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if ".staging-" in p.name)


def test_a_new_folder_gets_the_files_and_an_index_of_them(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "audit"
    published = publish_reports(out, {"audit.json": "{}", "summary.md": b"# x"})
    assert published.files == (out / "audit.json", out / "summary.md")
    assert published.warnings == ()
    assert _tool_files(out) == _complete({"audit.json": b"{}", "summary.md": b"# x"})
    assert json.loads((out / INDEX_FILE).read_text()) == {
        "files": ["audit.json", "summary.md"],
        "written_by": "governance",
    }
    assert _staging_folders(out) == []
    assert (out / "audit.json").stat().st_mode & 0o777 == 0o644 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_a_later_run_removes_only_what_the_index_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, OLD)
    (out / USERS_FILE[0]).write_bytes(USERS_FILE[1])
    (out / "drafts").mkdir()
    publish_reports(out, NEW)
    assert sorted(p.name for p in out.iterdir()) == sorted([*_complete(NEW), "notes.txt", "drafts"])
    assert (out / "notes.txt").read_bytes() == USERS_FILE[1]
    assert (out / "report.sarif").exists() is False  # the earlier audit's, not this one's


def test_an_index_naming_paths_outside_the_folder_is_not_an_index(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, OLD)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / INDEX_FILE).write_text(
        json.dumps({"files": ["../victim.txt"], "written_by": "governance"})
    )
    with pytest.raises(OutputError, match="governance did not write it"):
        publish_reports(out, NEW)
    assert victim.read_text() == "keep me"


def test_a_non_empty_folder_without_an_index_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"the user's own report")
    with pytest.raises(OutputError, match="not empty and governance did not write it") as raised:
        publish_reports(out, NEW)
    assert "--force" in raised.value.hint
    assert sorted(p.name for p in out.iterdir()) == ["report.pdf"]
    publish_reports(out, NEW, force=True)
    assert (out / "report.pdf").read_bytes() == b"the user's own report"
    assert _tool_files(out) == {**_complete(NEW), "report.pdf": b"the user's own report"}
    # the next run, forced or not, still never deletes the user's report.pdf
    publish_reports(out, OLD)
    assert (out / "report.pdf").read_bytes() == b"the user's own report"
    with pytest.raises(OutputError, match="report.pdf in the folder was not written"):
        publish_reports(out, {**OLD, "report.pdf": b"ours"}, force=True)
    assert (out / "report.pdf").read_bytes() == b"the user's own report"


def test_an_empty_folder_is_used_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o750)
    out.chmod(0o750)
    publish_reports(out, NEW)
    assert out.stat().st_mode & 0o777 == 0o750
    assert _tool_files(out) == _complete(NEW)


def test_a_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("a file")
    with pytest.raises(OutputError, match="the output path is not a folder"):
        publish_reports(out, NEW)
    assert out.read_text() == "a file"


@pytest.mark.parametrize(
    "which", ["root", "home", "above home", "cwd", "manifest", "above manifest"]
)
def test_folders_holding_the_users_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    home = tmp_path / "home" / "user"
    project = home / "project"
    (project / "data").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    target = {
        "root": Path("/"),
        "home": home,
        "above home": home.parent,
        "cwd": project,
        "manifest": project / "data",
        "above manifest": project,
    }[which]
    expected = {
        "root": "the file-system root",
        "home": "your home folder",
        "above home": "a folder holding your home folder",
        "cwd": "the current folder",
        "manifest": "the manifest's folder",
        "above manifest": "the current folder",
    }[which]
    with pytest.raises(OutputError) as raised:
        publish_reports(target, NEW, force=True, protected=[project / "data"])
    assert raised.value.message == f"refusing to write reports into {expected}"
    assert sorted(p.name for p in home.iterdir()) == ["project"]
    assert sorted(p.name for p in project.iterdir()) == ["data"]


@pytest.mark.parametrize(
    ("link", "leads_to"),
    [
        ("reports/governance", "victim"),  # a folder of someone else's, adopted with --force
        ("reports/governance", "absent/new"),  # a folder created wherever the link says
        ("reports", "elsewhere"),  # a folder on the way
    ],
)
def test_a_report_folder_reached_through_a_link_in_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str, leads_to: str
) -> None:
    # The current folder is a checkout of a pull request, which planted the link.
    checkout = tmp_path / "checkout"
    (checkout / "reports").mkdir(parents=True)
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "id_rsa").write_bytes(b"private")
    (tmp_path / "elsewhere").mkdir()
    if link == "reports":
        (checkout / "reports").rmdir()
    (checkout / link).symlink_to(tmp_path / leads_to)
    monkeypatch.chdir(checkout)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(OutputError, match="reached through a symbolic link") as raised:
        publish_reports(Path("reports/governance"), NEW, force=True)
    assert f"-> {tmp_path / leads_to}" in raised.value.message
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_lock_file_that_is_a_link_is_refused_without_creating_its_target(
    tmp_path: Path,
) -> None:
    out = tmp_path / "checkout" / "reports" / "governance"
    out.parent.mkdir(parents=True)
    lock.lock_path(out).symlink_to(tmp_path / "planted")
    with pytest.raises(OutputError, match="cannot create the lock file"):
        publish_reports(out, NEW)
    assert not (tmp_path / "planted").exists()
    assert not out.exists()


def test_a_link_in_the_report_folder_is_refused_and_never_published(tmp_path: Path) -> None:
    # A checkout under audit can hold the report folder with an index and a link in it, or a
    # staging folder with a link: either was kept as "the user's file" and published (CI
    # uploads the folder, and the file the link leads to with it).
    out = tmp_path / "reports" / "governance"
    publish_reports(out, OLD)
    (tmp_path / "secret").write_bytes(b"private")
    (out / "key").symlink_to(tmp_path / "secret")
    with pytest.raises(OutputError, match="'?key'? in the folder is a symbolic link"):
        publish_reports(out, NEW, force=True)
    assert _tool_files(out) == {**_complete(OLD), "key": b"private"}
    (out / "key").unlink()
    planted = leftovers.new_staging_path(out)
    planted.mkdir()
    (planted / "key").symlink_to(tmp_path / "secret")
    published = publish_reports(out, NEW)
    assert sorted(p.name for p in out.iterdir()) == sorted(_complete(NEW))
    assert "symbolic link" in published.warnings[0]
    assert (tmp_path / "secret").read_bytes() == b"private"


@pytest.mark.parametrize("index", ["link to /dev/zero", "fifo"])
def test_an_index_that_never_ends_is_no_index(tmp_path: Path, index: str) -> None:
    # A staging folder planted beside the report folder, whose index would be read forever.
    out = tmp_path / "reports" / "governance"
    planted = leftovers.new_staging_path(out)
    planted.mkdir(parents=True)
    if index == "fifo":
        os.mkfifo(planted / INDEX_FILE)
    else:
        (planted / INDEX_FILE).symlink_to("/dev/zero")
    published = publish_reports(out, NEW)
    assert _tool_files(out) == _complete(NEW)
    assert published.warnings == ()


def test_a_link_above_the_current_folder_is_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real" / "project").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path / "real" / "project")
    publish_reports(tmp_path / "linked" / "reports", NEW)
    assert _tool_files(tmp_path / "real" / "reports") == _complete(NEW)


def test_a_second_publisher_of_the_same_folder_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, OLD)
    with folder_lock(out), pytest.raises(OutputError, match="another audit is writing") as raised:
        publish_reports(out, NEW)
    assert "wait for it to finish, or choose another --out" in raised.value.hint
    assert _tool_files(out) == _complete(OLD)
    publish_reports(out, NEW)  # the lock is released with its holder
    assert _tool_files(out) == _complete(NEW)


def test_leftover_staging_of_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, OLD)
    # a staged set never swapped in, and a partial one whose index was being written
    staged = tmp_path / ".out.staging-0123456789abcdef"
    staged.mkdir()
    (staged / INDEX_FILE).write_bytes(index_bytes(NEW))
    (staged / "audit.json").write_bytes(b"new au")
    partial = tmp_path / ".out.staging-fedcba9876543210"
    partial.mkdir()
    (partial / INDEX_FILE).write_bytes(b'{"files":["aud')
    publish_reports(out, NEW)
    assert _staging_folders(out) == []
    assert _tool_files(out) == _complete(NEW)


def test_a_users_file_left_in_a_retired_folder_is_moved_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, NEW)
    retired = tmp_path / ".out.staging-00000000000000aa"
    retired.mkdir()
    for name, data in _complete(OLD).items():
        (retired / name).write_bytes(data)
    (retired / USERS_FILE[0]).write_bytes(USERS_FILE[1])
    (retired / "audit.json.bak").write_bytes(b"theirs")
    (out / "audit.json.bak").write_bytes(b"a newer one of theirs")
    published = publish_reports(out, NEW)
    assert (out / USERS_FILE[0]).read_bytes() == USERS_FILE[1]
    # the name is taken in the folder: left where it is, said, never deleted
    assert (retired / "audit.json.bak").read_bytes() == b"theirs"
    assert sorted(p.name for p in retired.iterdir()) == [INDEX_FILE, "audit.json.bak"]
    assert len(published.warnings) == 1
    assert "could not be moved back" in published.warnings[0]
    assert "audit.json.bak" in published.warnings[0]


class Interrupted(Exception):
    pass


_STEPS = ("mkdir", "open", "fsync", "chmod", "rename", "unlink", "rmdir")


class _CountingOs:
    """The `os` module as one publishing module sees it, with every file-system step counted
    and the `at`-th one replaced by `action`."""

    def __init__(self, counter: list[int], at: int, action: Callable[[], None]):
        self._counter, self._at, self._action = counter, at, action

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in _STEPS:
            return real

        def step(*args: Any, **kwargs: Any) -> Any:
            self._counter[0] += 1
            if self._counter[0] == self._at:
                self._action()
            return real(*args, **kwargs)

        return step


@contextmanager
def _interrupted_at(at: int, action: Callable[[], None], *, exchange: bool) -> Iterator[list[int]]:
    """Patch every module of the publisher so that its `at`-th step runs `action` first."""
    counter = [0]
    saved: list[tuple[object, str, object]] = []

    def patch(owner: object, name: str, value: object) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    for module in (publishing, leftovers, swap, lock):
        patch(module, "os", _CountingOs(counter, at, action))
    real_exchange = swap.exchange

    def counted_exchange(first: Path, second: Path) -> bool:
        counter[0] += 1
        if counter[0] == at:
            action()
        return real_exchange(first, second) if exchange else False

    patch(swap, "exchange", counted_exchange)
    try:
        yield counter
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def _prepared(tmp_path: Path) -> Path:
    out = tmp_path / "reports" / "out"
    publish_reports(out, OLD)
    (out / USERS_FILE[0]).write_bytes(USERS_FILE[1])
    return out


def _steps(tmp_path: Path, *, exchange: bool) -> int:
    out = _prepared(tmp_path / "count")
    with _interrupted_at(0, lambda: None, exchange=exchange) as counter:
        publish_reports(out, NEW)
    return counter[0]


def _assert_old_or_new(out: Path, *, step: int, exchange: bool) -> None:
    if not out.exists():  # only between the two renames of the portable swap
        assert not exchange, f"step {step}: the folder vanished"
        return
    assert _tool_files(out) in (_complete(OLD), _complete(NEW)), f"step {step}: a mixed set"


def _assert_recovered(out: Path, *, step: int) -> None:
    """The next run publishes the new set, clears every staging folder and has the user's
    file back in the folder, unchanged."""
    publish_reports(out, NEW)
    assert _tool_files(out) == _complete(NEW), f"step {step}"
    assert (out / USERS_FILE[0]).read_bytes() == USERS_FILE[1], f"step {step}: user's file"
    assert _staging_folders(out) == [], f"step {step}: leftovers"


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_failure_at_any_step_leaves_the_old_or_the_new_complete_set(
    tmp_path: Path, exchange: bool
) -> None:
    steps = _steps(tmp_path, exchange=exchange)
    assert steps > 20
    for at in range(1, steps + 1):
        out = _prepared(tmp_path / f"step-{at}")

        def fail() -> None:
            raise OSError(28, "No space left on device")

        with _interrupted_at(at, fail, exchange=exchange):
            try:
                published = publish_reports(out, NEW)
            except OutputError as error:
                assert "No space left on device" in error.message, f"step {at}"
                assert _tool_files(out) == _complete(OLD), f"step {at}: not the old set"
            else:  # failed while clearing up after the swap: the new set is in place
                assert _tool_files(out) == _complete(NEW), f"step {at}"
                assert published.warnings, f"step {at}: a clean-up failure went unsaid"
        _assert_old_or_new(out, step=at, exchange=exchange)
        _assert_recovered(out, step=at)


def _publish_then_die(out: Path, at: int, exchange: bool) -> None:
    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with _interrupted_at(at, die, exchange=exchange):
        publish_reports(out, NEW)
    os._exit(0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked child")
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_complete_set(
    tmp_path: Path, exchange: bool
) -> None:
    steps = _steps(tmp_path, exchange=exchange)
    context = multiprocessing.get_context("fork")
    for at in range(1, steps + 1):
        out = _prepared(tmp_path / f"step-{at}")
        child = context.Process(target=_publish_then_die, args=(out, at, exchange))
        child.start()
        child.join(30)
        assert child.exitcode == -signal.SIGKILL, f"step {at}: not killed"
        _assert_old_or_new(out, step=at, exchange=exchange)
        _assert_recovered(out, step=at)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_on_linux_the_swap_is_one_atomic_exchange(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").touch()
    (tmp_path / "b").mkdir()
    assert swap.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert list((tmp_path / "a").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a folder whatever its mode")
def test_a_folder_that_cannot_be_listed_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_reports(out, OLD)
    out.chmod(0o300)
    try:
        with pytest.raises(OutputError, match="cannot read the output folder"):
            publish_reports(out, NEW)
    finally:
        out.chmod(0o700)
    assert _tool_files(out) == _complete(OLD)
