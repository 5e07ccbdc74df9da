"""Every install line the project documents installs this project: `governance` on PyPI is an
unrelated project, so a line naming it would install someone else's code."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from governance.engine.environment import DISTRIBUTION, tool_version

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = (
    REPO / "README.md",
    REPO / "SECURITY.md",
    *sorted((REPO / "docs").rglob("*.md")),
    *sorted(p for p in (REPO / "examples").rglob("*") if p.suffix in {".md", ".sh", ".py"}),
    REPO / "action.yml",
    REPO / "Dockerfile",
)
_INSTALL = re.compile(r"pip3? install\s+([^\n`;&|)]*)")
_LOCAL = re.compile(r"^(\.|\./|/|\$|\"\$|dist/|\.\[)|\.whl(\[[\w,-]+\])?$")


def install_targets(text: str) -> Iterator[str]:
    """The requirements of every `pip install` command in `text` (options left out)."""
    for match in _INSTALL.finditer(text):
        command = match.group(1).split("#", 1)[0]
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        skip_next = False
        for word in words:
            if skip_next:
                skip_next = False
            elif word in {"-r", "-c", "--index-url", "-i", "--extra-index-url", "-f"}:
                skip_next = True
            elif not word.startswith("-"):
                yield word


def names_another_project(target: str) -> bool:
    """True when `target` is an index name this project does not own: bare `governance`,
    or `governance-audit` from the index before it is published (anyone could take it)."""
    if _LOCAL.search(target):
        return False
    try:
        requirement = Requirement(target)
    except InvalidRequirement:
        return False
    name = canonicalize_name(requirement.name)
    return name == "governance" or (name == DISTRIBUTION and requirement.url is None)


def test_the_check_tells_this_project_from_the_unrelated_one():
    lines = (
        "pip install governance\n`pip install 'governance[model]'`\n"
        "pip install -q governance-audit && x\n"
        "pip install '.[model]' && pip install dist/governance_audit-0.1.0-py3-none-any.whl\n"
        "pip install 'governance-audit @ git+https://example.org/governance@v1' Faker\n"
    )
    flagged = [t for t in install_targets(lines) if names_another_project(t)]
    assert flagged == ["governance", "governance[model]", "governance-audit"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_install_lines_install_this_project(document):
    if not document.exists():
        pytest.skip(f"{document.name} is not in this checkout")
    text = document.read_text(encoding="utf-8")
    wrong = [t for t in install_targets(text) if names_another_project(t)]
    assert wrong == [], f"{document.name} installs another project: {wrong}"


def test_the_readme_shows_how_to_install():
    targets = list(install_targets((REPO / "README.md").read_text(encoding="utf-8")))
    assert ".[model]" in targets
    assert any(t.startswith("dist/governance_audit-") for t in targets)


def test_the_version_is_the_distributions():
    assert tool_version() == metadata.version(DISTRIBUTION) != "0+unknown"
