"""The light commands start fast because they import only what they use: listing, showing or
validating policies (PII entity names included) and `--help` load no data engine, no PII
scanner, no PDF engine, no model runtime and no scipy; a json-only audit loads nothing of the
PDF, the charts or signing. Each runs in a fresh interpreter that lists, as it exits, every
module the command imported, however indirectly. And every command leaves the interpreter's
last collections nothing of what it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "duckdb",  # data engine (~0.1 s)
    "pyarrow",  # data engine (~0.1 s, with numpy)
    "pandas",  # data engine
    "numpy",  # (~0.1 s) imported by the data engine, the model runtimes and scipy
    "presidio_analyzer",  # PII scanner (~0.9 s, with spaCy)
    "spacy",
    "weasyprint",  # PDF engine (~0.5 s)
    "sklearn",  # model runtimes
    "skops",
    "onnxruntime",
    "scipy",  # statistics (scipy.stats alone ~0.7 s)
    "pyhanko",  # signing (~1 s)
    "cryptography",  # signing keys and certificates (~0.05 s)
)
LIGHT_COMMANDS = {
    "help": ["--help"],
    "audit help": ["audit", "--help"],
    "policies list": ["policies", "list"],
    "policies show": ["policies", "show", "builtin:gdpr-pii"],
    "policies validate": [
        "policies",
        "validate",
        "examples/hiring/hiring-policy.yaml",
        "builtin:gdpr-pii",  # PII rules: entity names are checked without presidio
        "builtin:model-hygiene",  # model rules
    ],
    "policies coverage": [
        "policies",
        "coverage",
        "--framework",
        "nist-ai-rmf",
        "examples/hiring/hiring-policy.yaml",
        "builtin:eu-ai-act-annex-iv",
    ],
}


SIGNING_AND_DOCUMENTS = (
    "weasyprint",  # the PDF report
    "pyhanko",  # the PDF signature
    "cryptography",  # keys, certificates and the attestation's signature
    "PIL",  # the charts of the PDF and HTML reports
    "cyclonedx",  # the ML-BOM
)
"""What only the report files a json-only audit does not write, or signing, need."""
OTHER_RENDERERS = (
    "_report",  # html_report, pdf_report, sarif_report, junit_report (not json_report)
    "markdown_summary",
    "openmetrics",
    "oscal_results",
    "cyclonedx_bom",
)


_LAUNCHER = """
import atexit, json, runpy, sys
listing = sys.argv.pop(1)
atexit.register(lambda: open(listing, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("governance", run_name="__main__", alter_sys=True)
"""
"""`python -m governance ARGUMENTS` that writes, as it exits, every module it imported. Read
from `sys.modules` rather than `-X importtime`, which does not list the modules imported by
`importlib.import_module` (the check registry's and the renderers')."""


def imported_modules(arguments: list[str], passing: tuple[int, ...] = (0,)) -> set[str]:
    """Every module a fresh `python -m governance ARGUMENTS` imported (it exits with one of
    `passing`: 1 is an audit whose gate failed)."""
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "modules.json"
        completed = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(listing), *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "100"},
            check=False,
            timeout=120,
        )
        assert completed.returncode in passing, completed.stderr[-2000:]
        return set(json.loads(listing.read_text()))


@pytest.mark.parametrize("command", sorted(LIGHT_COMMANDS))
def test_light_commands_import_no_heavy_library(command: str) -> None:
    modules = imported_modules(LIGHT_COMMANDS[command])
    assert "governance.cli.app" in modules  # the listing is real
    heavy = sorted(name for name in modules if any(name.split(".")[0] == top for top in HEAVY))
    assert heavy == [], f"`governance {' '.join(LIGHT_COMMANDS[command])}` imported {heavy}"


def test_a_json_only_audit_imports_no_pdf_signing_or_chart_library(tmp_path: Path) -> None:
    """The example's `--format json` audit scores a skops model and scans for PII (so it
    imports scikit-learn and presidio), and writes audit.json alone: nothing of the PDF, the
    charts, the ML-BOM or signing."""
    arguments = ["audit", "examples/hiring/audit.yaml", "--format", "json", "--out"]
    modules = imported_modules([*arguments, str(tmp_path / "reports")], passing=(0, 1))
    assert {"governance.engine.run", "governance.render.json_report"} <= modules
    assert {"presidio_analyzer", "sklearn"} <= modules  # the example's PII rules and model
    loaded = sorted({name.split(".")[0] for name in modules} & set(SIGNING_AND_DOCUMENTS))
    assert loaded == [], f"a json-only audit imported {loaded}"
    other_formats = sorted(
        name
        for name in modules
        if name.startswith("governance.render.")
        and name.endswith(OTHER_RENDERERS)
        and name != "governance.render.json_report"
    )
    assert other_formats == [], f"a json-only audit imported {other_formats}"
    assert (tmp_path / "reports" / "audit.json").is_file()


READING_POLICIES = ("help", "policies list", "policies show", "policies validate")
RESULTS_AND_DATA = ("governance.engine", "governance.data", "governance.manifest")


@pytest.mark.parametrize("command", READING_POLICIES)
def test_reading_policies_imports_no_evidence_model_result_or_data_layer(command: str) -> None:
    """A policy holds check specs only: the evidence models (some import a check's metrics and
    the data layer) and the result models are for audits."""
    modules = imported_modules(LIGHT_COMMANDS[command])
    assert "governance.cli.app" in modules
    loaded = sorted(
        name for name in modules if name.endswith(".evidence") or name.startswith(RESULTS_AND_DATA)
    )
    assert loaded == [], f"`governance {' '.join(LIGHT_COMMANDS[command])}` imported {loaded}"


def test_importing_the_package_imports_no_heavy_library() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, governance; print(*sorted(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    imported = {name.split(".")[0] for name in completed.stdout.split()}
    assert "governance" in imported
    assert sorted(imported & set(HEAVY)) == []


_HEAP_LAUNCHER = """
import atexit, gc, json, runpy, sys
listing = sys.argv.pop(1)
heap = lambda: {"frozen": gc.get_freeze_count(), "collectable": len(gc.get_objects())}
atexit.register(lambda: open(listing, "w").write(json.dumps(heap())))
runpy.run_module("governance", run_name="__main__", alter_sys=True)
"""
"""`python -m governance ARGUMENTS` that writes, as it exits, how many objects the collector
still tracks (what the interpreter's last collections walk) and how many it skips (frozen)."""


def test_the_exit_collections_skip_what_the_command_loaded(tmp_path: Path) -> None:
    """The interpreter collects while it tears down: over the heap of an audit that loaded
    scikit-learn and presidio, about 0.5 s of CPU to free what the exit frees anyway. The
    command leaves the collector only the objects made after it returned."""
    listing = tmp_path / "heap.json"
    _python(_HEAP_LAUNCHER, str(listing), *LIGHT_COMMANDS["policies validate"])
    heap = json.loads(listing.read_text())
    assert heap["frozen"] > 20_000  # typer, pydantic, the policies read
    assert heap["collectable"] < heap["frozen"] / 20


_LOADING_PROGRAM = """
import gc, json, sys
from pathlib import Path
from governance.model.skops_model import load_skops
from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer

full = []
gc.callbacks.append(lambda phase, info: full.append(info["generation"] == 2 and phase == "start"))
load_skops(Path("examples/hiring/model/hiring-screen.skops").read_bytes(), ())
shared_analyzer(AnalyzerConfig())
print(json.dumps({"full collections": sum(full), "collector enabled": gc.isenabled()}))
"""


def test_loading_scikit_learn_and_presidio_walks_no_full_collection() -> None:
    """Importing scikit-learn (through skops) and presidio with spaCy makes most of an
    audit's heap, objects that live as long as the process: the collector is held off while
    they load (each full collection walked the whole heap, 0.3-0.4 s of the example audit's
    CPU), and collects as before afterwards."""
    loaded = json.loads(_python(_LOADING_PROGRAM))
    assert loaded == {"full collections": 0, "collector enabled": True}


def _python(program: str, *arguments: str) -> str:
    """The standard output of `program` run by this interpreter in the repository."""
    completed = subprocess.run(
        [sys.executable, "-c", program, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout
