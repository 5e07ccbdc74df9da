"""The README's sample outputs are what the tool prints today.

A fenced block right after `<!-- sample-output: NAME -->` in README.md is compared, line by
line, with the output of the commands the README shows before it, run here on a copy of the
example (`SAMPLES` says how to produce each). In a sample, `...` stands for any text and a date
for any date; runs of spaces count as one. A marker without a producer, or a producer whose
marker is gone, fails too, so no sample is left unchecked.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLE = REPOSITORY / "examples" / "hiring"
_MARKER = re.compile(r"<!-- sample-output: ([\w-]+) -->\n```[^\n]*\n(.*?)```", re.S)
_DATE = r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}Z| \d{2}:\d{2}Z)?"
_WILDCARD = re.compile(rf"(\.\.\.|{_DATE})")


def readme_samples(text: str) -> dict[str, list[str]]:
    return {name: block.splitlines() for name, block in _MARKER.findall(text)}


def line_pattern(sample: str) -> re.Pattern[str]:
    parts = _WILDCARD.split(" ".join(sample.split()))
    pattern = "".join(
        ".*?" if part == "..." else _DATE if index % 2 else re.escape(part)
        for index, part in enumerate(parts)
    )
    return re.compile(pattern)


def matches(sample: list[str], printed: list[str]) -> bool:
    printed = [" ".join(line.split()) for line in printed if line.strip()]
    return len(sample) == len(printed) and all(
        line_pattern(s).fullmatch(p) for s, p in zip(sample, printed, strict=True)
    )


def _verify_example(workspace: Path) -> list[str]:
    """The README's signing walk-through: keys init, audit --sign, verify --trust --inputs."""
    runner = CliRunner()
    manifest = workspace / "examples" / "hiring" / "audit.yaml"
    keys = workspace / "keys"
    for argv in (
        [
            "keys",
            "init",
            "--name",
            "Acme Compliance",
            "--org",
            "Acme",
            "--email",
            "compliance@acme.example",
            "--out",
            str(keys),
        ],
        [
            "audit",
            str(manifest),
            "--sign",
            "--key",
            str(keys / "signing-key.pem"),
            "--cert",
            str(keys / "signing-cert.pem"),
            "--out",
            str(workspace / "report"),
            "-q",
        ],
    ):
        runner.invoke(app, argv, catch_exceptions=False)
    verified = runner.invoke(
        app,
        [
            "verify",
            str(workspace / "report"),
            "--trust",
            str(keys / "signing-cert.pem"),
            "--inputs",
            str(manifest),
        ],
        catch_exceptions=False,
    )
    assert verified.exit_code == 0, verified.output
    shown = verified.output.replace(str(workspace / "report"), "reports/hiring-screen-v3")
    return shown.splitlines()


def _policies_coverage(workspace: Path) -> list[str]:
    """The README's `policies coverage` example."""
    shown = CliRunner().invoke(app, ["policies", "coverage", "builtin:eeoc-four-fifths"])
    assert shown.exit_code == 0, shown.output
    return shown.stdout.splitlines()


def _diff_example(workspace: Path) -> list[str]:
    """The README's `governance diff`: the example audited, its card edited, audited again."""
    runner = CliRunner()
    manifest = workspace / "examples" / "hiring" / "audit.yaml"
    runner.invoke(app, ["audit", str(manifest), "--out", str(workspace / "before"), "-q"])
    card = manifest.parent / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8").replace(
        "TODO: describe where the model performs worse.",
        "The model was trained on applications from the United States only and performs worse "
        "on applicants with career breaks or non-traditional education; it has not been "
        "validated for any other role or country.",
    )
    card.write_text(text.replace("license: apache-2.0\n", ""), encoding="utf-8")
    runner.invoke(app, ["audit", str(manifest), "--out", str(workspace / "after"), "-q"])
    shown = runner.invoke(app, ["diff", str(workspace / "before"), str(workspace / "after")])
    assert shown.exit_code == 0, shown.output
    return shown.stdout.splitlines()


def _check_example(workspace: Path) -> list[str]:
    """The README's `governance check` on the example, run from the repository's root."""
    with contextlib.chdir(workspace):
        shown = CliRunner().invoke(app, ["check", "examples/hiring/audit.yaml"])
    assert shown.exit_code == 0, shown.output
    return shown.stdout.splitlines()


SAMPLES: dict[str, Callable[[Path], list[str]]] = {
    "check-example": _check_example,
    "verify-example": _verify_example,
    "policies-coverage": _policies_coverage,
    "diff-example": _diff_example,
}


def _readme() -> str:
    return (REPOSITORY / "README.md").read_text(encoding="utf-8")


def test_every_sample_in_the_readme_has_a_producer_and_every_producer_a_sample() -> None:
    assert set(readme_samples(_readme())) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_readme_sample_is_what_the_tool_prints(name: str, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "hiring")
    printed = SAMPLES[name](tmp_path)
    sample = readme_samples(_readme())[name]
    assert matches(sample, printed), "\n".join(["README:", *sample, "printed:", *printed])


def test_the_comparison_catches_a_stale_line() -> None:
    sample = ["  ok      inputs         9 input files unchanged since the audit"]
    assert matches(sample, ["  ok inputs 9 input files unchanged since the audit"])
    assert not matches(sample, ["  ok inputs 10 input files unchanged since the audit"])
    assert matches(["valid until 2027-11-26, ..."], ["valid until 2028-01-02, and more"])
    assert matches(["(2026-11-29 09:00Z, failed)"], ["(2026-11-26 00:00Z, failed)"])
