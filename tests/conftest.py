"""Shared fixtures: small audits written into a temporary folder, and the example audit."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from governance.engine import environment

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "hiring"
LL144_RULES = frozenset(
    (
        "LL144-SEL-SEX",
        "LL144-SEL-RACE",
        "LL144-SEL-INTERSECT",
        "LL144-SCORE-SEX",
        "LL144-SCORE-RACE",
        "LL144-SCORE-INTERSECT",
    )
)
"""The rules of `builtin:nyc-ll144`."""

GOOD_CARD = """\
---
license: apache-2.0
language: [en]
---
# Model card

## Intended use

Ranking loan applications for manual review by trained credit officers at a regional bank.

## Limitations

The model was trained on applications from one country and has not been validated elsewhere.
"""

DOC_POLICY = """\
policy: docs
rules:
  - id: DOC-1
    title: Card has intended use and limitations
    severity: high
    documentation:
      document: model_card
      required_sections: [Intended use, Limitations]
      required_fields: [license]
"""


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-11-26T00:00:00Z: waiver expiry and report dates do not depend on the day tests run.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    monkeypatch.setattr(environment, "utc_today", lambda: dt.date(2026, 11, 26))


Writer = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """write("name.yaml", text) -> path, dedenting the text."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def small_audit(write: Writer) -> Path:
    """A passing audit of one model card against one documentation rule."""
    write("card.md", GOOD_CARD)
    write("policy.yaml", DOC_POLICY)
    return write(
        "audit.yaml",
        """\
        name: small
        model: {card: card.md}
        policies: [policy.yaml]
        """,
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the hiring example; returns its manifest."""
    target = tmp_path / "hiring"
    shutil.copytree(EXAMPLE, target)
    return target / "audit.yaml"


def audit_refused(manifest: Path, *expected: str) -> str:
    """Audit `manifest` through the command line, expecting an input error: exit 2, no
    traceback, each of `expected` in what the user saw, no report folder written."""
    from typer.testing import CliRunner

    from governance.cli.app import app

    out = manifest.parent / "out"
    result = CliRunner().invoke(app, ["audit", str(manifest), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output
    assert not out.exists()
    return result.output
