"""Session fixtures: a real audit of the hiring example, a real PDF made with weasyprint, real
keys, and the report folder signed by the code under test; each test gets its own copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from governance.engine.result import AuditResult
from governance.engine.run import run_audit
from tests.signing.report_factory import (
    EXAMPLE,
    KeyFiles,
    Workspace,
    make_key_files,
    make_pdf,
    write_signed_report,
)


@pytest.fixture(scope="session")
def signer(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    return make_key_files(tmp_path_factory.mktemp("signer"), "Example Auditor")


@pytest.fixture(scope="session")
def other_signer(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    return make_key_files(tmp_path_factory.mktemp("other"), "Someone Else")


@pytest.fixture(scope="session")
def example_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AuditResult]:
    base = tmp_path_factory.mktemp("base")
    shutil.copytree(EXAMPLE, base / "example")
    manifest = base / "example" / "audit.yaml"
    return manifest, run_audit(manifest)


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return make_pdf("Audit hiring-screen-v3")


@pytest.fixture(scope="session")
def signed_base(
    tmp_path_factory: pytest.TempPathFactory,
    example_result: tuple[Path, AuditResult],
    signer: KeyFiles,
    report_pdf: bytes,
) -> Path:
    manifest, result = example_result
    return write_signed_report(
        manifest.parent.parent / "report", result, signer.material, report_pdf
    )


@pytest.fixture
def workspace(
    tmp_path: Path, signed_base: Path, example_result: tuple[Path, AuditResult], signer: KeyFiles
) -> Workspace:
    shutil.copytree(signed_base.parent, tmp_path / "copy")
    return Workspace(
        manifest=tmp_path / "copy" / "example" / "audit.yaml",
        report=tmp_path / "copy" / "report",
        signer=signer,
    )
