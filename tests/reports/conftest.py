"""Fixtures for the report tests: the canonical audit, golden files, evidence replacement."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from governance.engine.result import AuditResult
from governance.engine.run import run_audit
from tests.reports.canonical_audit import canonical_result, replace_evidence
from tests.reports.figures_audit import figures_audit

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_MANIFEST = Path(__file__).parents[2] / "examples" / "hiring" / "audit.yaml"


@pytest.fixture
def result() -> AuditResult:
    return canonical_result()


GoldenCheck = Callable[[str, str], None]


@pytest.fixture
def golden() -> GoldenCheck:
    """golden(name, text): compare with `golden/NAME`; `UPDATE_GOLDEN=1` rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


WithEvidence = Callable[[AuditResult, str, object], AuditResult]


@pytest.fixture
def with_evidence() -> WithEvidence:
    """with_evidence(result, rule_id, evidence): the result with that rule's evidence replaced."""
    return replace_evidence


@pytest.fixture(scope="session")
def figures_result(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """A real audit with fairness, PII and documentation figures (see `figures_audit`)."""
    return figures_audit(tmp_path_factory.mktemp("figures") / "audit")


@pytest.fixture(scope="session")
def example_audit_result() -> AuditResult:
    """The shipped example audited (its model loaded and scoring the applicants)."""
    return run_audit(EXAMPLE_MANIFEST)
