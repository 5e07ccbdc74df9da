"""Git provenance from real temporary repositories: committed, dirty, untracked and added
inputs, a detached HEAD, no repository, no git, a refused repository, credentials in the
remote, and a repository whose configuration tries to run code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from governance.engine import git_reader
from governance.engine.git_reader import public_remote_url, read_source_control
from governance.engine.run import run_audit
from governance.engine.source_control import InputState, SourceControl
from governance.render.html_report import render_html
from governance.render.json_report import render_json
from governance.render.markdown_summary import render_markdown
from governance.signing.attestation import audit_predicate, read_statement, statement_bytes
from governance.signing.verification.report_verification import verify_report
from tests.signing.report_factory import make_key_files, write_signed_report

_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(small_audit: Path) -> Path:
    """The small audit (audit.yaml, card.md, policy.yaml), committed on branch main."""
    folder = small_audit.parent
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "audit.yaml", "card.md", "policy.yaml")
    git(folder, "commit", "-q", "-m", "audit")
    return folder


def _source(folder: Path) -> SourceControl:
    result = run_audit(folder / "audit.yaml")
    assert result.source_control is not None
    return result.source_control


def test_a_clean_commit_is_recorded(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "https://user:s3cr3t-token@git.example.com/acme/x.git")
    source = _source(repo)
    assert source.commit == git(repo, "rev-parse", "HEAD")
    assert (source.branch, source.dirty, source.uncommitted_inputs) == ("main", False, ())
    assert source.remote == "https://git.example.com/acme/x.git"
    assert source.absent_reason is None


def test_uncommitted_and_untracked_inputs_are_named(repo: Path) -> None:
    card = repo / "card.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    (repo / "extra.yaml").write_text("policy: extra\nrules: []\n", encoding="utf-8")
    git(repo, "rm", "-q", "--cached", "policy.yaml")  # now untracked, still audited
    source = _source(repo)
    assert source.dirty is True
    states = {item.path: item.state for item in source.uncommitted_inputs}
    assert states == {"card.md": InputState.MODIFIED, "policy.yaml": InputState.UNTRACKED}


def test_a_staged_new_input_is_added_not_committed(repo: Path) -> None:
    git(repo, "rm", "-q", "--cached", "policy.yaml")
    git(repo, "commit", "-q", "-m", "untrack")
    git(repo, "add", "policy.yaml")
    source = _source(repo)
    assert [(i.path, i.state) for i in source.uncommitted_inputs] == [
        ("policy.yaml", InputState.ADDED)
    ]


def test_a_touched_file_with_the_same_content_is_not_a_change(repo: Path) -> None:
    for name in ("card.md", "policy.yaml"):
        later = (repo / name).stat().st_mtime + 100
        os.utime(repo / name, (later, later))
    (repo / "policy.yaml").chmod(0o755)
    source = _source(repo)
    assert [(i.path, i.state) for i in source.uncommitted_inputs] == [
        ("policy.yaml", InputState.MODIFIED)  # its mode changed
    ]
    (repo / "policy.yaml").chmod(0o644)
    assert _source(repo).dirty is False


def test_a_detached_head_has_no_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    source = _source(repo)
    assert source.branch is None and source.commit == git(repo, "rev-parse", "HEAD")


def test_no_repository_is_recorded_as_absent(small_audit: Path) -> None:
    source = _source(small_audit.parent)
    assert source.commit is None
    assert source.absent_reason == "the manifest's folder is not in a git work tree"
    assert "git: not recorded" in render_markdown(run_audit(small_audit))


def test_no_git_is_recorded_as_absent(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    assert _source(repo) == SourceControl.absent("git is not installed")


def test_git_that_does_not_answer_in_time_is_recorded_as_absent(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git_reader, "GIT_TIMEOUT_SECONDS", 1e-6)
    assert read_source_control(repo, ()).absent_reason == "git did not answer within 1e-06 s"


def test_a_repository_of_another_owner_is_refused_not_an_error(repo: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs to own files as another user")
    for path in [repo, *repo.rglob("*")]:
        os.chown(path, 12345, 12345, follow_symlinks=False)
    source = read_source_control(repo, ())
    assert source.commit is None
    assert "dubious ownership" in (source.absent_reason or "")


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://user:token@host/x.git", "https://host/x.git"),
        ("https://ghp_abc123@github.com/acme/x.git", "https://github.com/acme/x.git"),
        ("https://host:8443/x.git?private_token=abc#frag", "https://host:8443/x.git"),
        ("ssh://git:pw@host/x.git", "ssh://host/x.git"),
        ("git@github.com:acme/x.git", "github.com:acme/x.git"),
        ("/srv/git/x.git", "/srv/git/x.git"),
        ("git@github.com:acme/x.git?token=abc", "github.com:acme/x.git"),
        ("user:pw@host:acme/x.git#token", "host:acme/x.git"),
        ("https://token@host:notaport/x.git", "https://host:notaport/x.git"),
        ("https://token@[::1/x.git", "https://[::1/x.git"),
        ("https://a@token@host/x.git", "https://host/x.git"),
    ],
)
def test_remote_urls_lose_their_credentials(url: str, public: str) -> None:
    assert public_remote_url(url) == public


def test_git_runs_no_code_from_the_repository_config(repo: Path) -> None:
    marker = repo.parent / "ran"
    script = repo.parent / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)),
        ("core.hooksPath", str(repo.parent)),
        ("filter.evil.clean", str(script)),
        ("filter.evil.smudge", str(script)),
        ("filter.evil.process", str(script)),
        ("diff.external", str(script)),
        ("core.pager", str(script)),
    ]:
        git(repo, "config", key, value)
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    git(repo, "config", "diff.evil.textconv", str(script))
    shutil.copy(script, repo.parent / "post-index-change")
    card = repo / "card.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    later = (repo / "policy.yaml").stat().st_mtime + 100
    os.utime(repo / "policy.yaml", (later, later))  # stat-dirty, same content
    source = _source(repo)
    assert not marker.exists()
    assert source.dirty is True
    assert [(i.path, i.state) for i in source.uncommitted_inputs] == [
        ("card.md", InputState.MODIFIED)
    ]


def test_the_attestation_names_the_commit_as_a_resource_descriptor(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "https://user:token@host/x.git")
    result = run_audit(repo / "audit.yaml")
    commit = git(repo, "rev-parse", "HEAD")
    source = audit_predicate(result)["source"]
    assert source["resourceDescriptors"] == [
        {"uri": "git+https://host/x.git", "digest": {"gitCommit": commit}}
    ]
    assert (source["branch"], source["dirty"], source["uncommittedInputs"]) == ("main", False, [])
    assert read_statement(statement_bytes(result, {})).commit == commit
    assert "token" not in render_json(result)


def test_the_same_commit_and_tree_give_the_same_bytes(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "git@host:acme/x.git")
    first, second = (render_json(run_audit(repo / "audit.yaml")) for _ in range(2))
    assert first == second
    assert '"commit": "' + git(repo, "rev-parse", "HEAD") in first


def test_verify_shows_the_recorded_commit(repo: Path, tmp_path: Path) -> None:
    result = run_audit(repo / "audit.yaml")
    signer = make_key_files(tmp_path / "keys", "Git Signer")
    folder = write_signed_report(tmp_path / "report", result, signer.material, None)
    outcome = verify_report(folder, trust=signer.cert)
    assert outcome.holds
    attestation = next(c for c in outcome.checks if c.name == "attestation")
    assert attestation.detail.endswith(f"at git commit {git(repo, 'rev-parse', 'HEAD')}")


def test_the_cover_and_summary_name_the_commit_and_the_uncommitted_inputs(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "https://host/x.git")
    card = repo / "card.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    result = run_audit(repo / "audit.yaml")
    short = git(repo, "rev-parse", "HEAD")[:12]
    pending = "; 1 input not as committed (card.md modified)"
    assert f"git {short} on main, dirty, from https://host/x.git{pending}" in render_html(result)
    assert f"git {short} on main, dirty{pending}" in render_markdown(result)  # kept short


def test_a_remote_url_with_a_line_break_or_escape_stays_on_one_line(repo: Path) -> None:
    """A remote cannot forge a line of the summary or of `verify`'s output."""
    git(repo, "remote", "add", "origin", "https://host/x.git\nVERIFIED: \x1b[32mall good")
    source = _source(repo)
    assert source.remote == "https://host/x.git\\nVERIFIED: \\x1b[32mall good"
    assert "\nVERIFIED" not in render_html(run_audit(repo / "audit.yaml"))
