"""The pre-commit hooks, run by `pre-commit try-repo` on a temporary git repository holding
the example audit. The `-system` variants run here: they use the `governance` this test suite
runs with, where the `language: python` ones would first pip-install the project and its
dependencies into a fresh environment (minutes; their entries are the same commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding a copy of the example audit, committed."""
    repo = tmp_path / "project"
    repo.mkdir()
    for path in (REPO / "examples" / "hiring").rglob("*"):
        if path.is_file() and path.suffix != ".py":
            target = repo / path.relative_to(REPO / "examples" / "hiring")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "example")
    return repo


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *arguments],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def try_repo(project: Path, hook: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(REPO), hook, "--verbose", *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_hook_has_a_system_variant_with_the_same_command():
    by_id = {hook["id"]: hook for hook in HOOKS}
    python_hooks = [h for h in HOOKS if h["language"] == "python"]
    assert {h["id"] for h in python_hooks} == {
        "governance-check",
        "governance-policies",
        "governance-documents",
    }
    for hook in python_hooks:
        system = by_id[f"{hook['id']}-system"]
        assert system["language"] == "system"
        assert {k: v for k, v in system.items() if k not in {"id", "language", "description"}} == {
            k: v for k, v in hook.items() if k not in {"id", "language", "description"}
        }


def _example_rule_count(project: Path) -> int:
    from governance.engine.audit_definition import load_policies
    from governance.manifest import load_manifest

    return len(load_policies(load_manifest(project / "audit.yaml")).rules)


def test_manifest_policies_and_waivers_hook(project):
    ran = try_repo(project, "governance-check-system", "--all-files")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"audit.yaml: valid, {_example_rule_count(project)} rules, 2 waivers" in ran.stdout

    waivers = project / "waivers.yaml"
    waivers.write_text(waivers.read_text().replace("rule: DOC-DS-007", "rule: DOC-DS-070"))
    _git(project, "add", "waivers.yaml")
    broken = try_repo(project, "governance-check-system")
    assert broken.returncode == 1
    assert "waivers.yaml:" in broken.stdout and "'DOC-DS-070'" in broken.stdout


def test_policy_files_hook(project):
    ran = try_repo(project, "governance-policies-system", "--all-files")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "hiring-policy.yaml: valid" in ran.stdout

    policy = project / "hiring-policy.yaml"
    policy.write_text(policy.read_text().replace("severity: high", "severity: hihg", 1))
    _git(project, "add", "hiring-policy.yaml")
    broken = try_repo(project, "governance-policies-system")
    assert broken.returncode == 1
    assert "hiring-policy.yaml:" in broken.stdout and "hihg" in broken.stdout


def test_documents_hook_on_a_changed_model_card(project):
    card = project / "MODEL_CARD.md"
    card.write_text(card.read_text() + "\nOne more line.\n")
    _git(project, "add", "MODEL_CARD.md")
    ran = try_repo(project, "governance-documents-system")
    assert ran.returncode == 1  # the example's card has placeholder sections
    assert "MODEL_CARD.md:45: section 'Limitations'" in ran.stdout
    assert "PII" not in ran.stdout  # documentation rules only

    unrelated = try_repo(project, "governance-documents-system", "--files", "audit.yaml")
    assert unrelated.returncode == 0
    assert "(no files to check)Skipped" in unrelated.stdout.replace(".", "")
