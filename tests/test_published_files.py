"""Files the project publishes stay true: the audit.json schema, the example data, the wheel."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema

from governance.resources import resource_dir
from governance.result_schema import audit_result_schema, render_schema

REPO = Path(__file__).resolve().parent.parent


def test_published_schema_matches_the_result_model():
    published = (resource_dir("schemas") / "audit-result.schema.json").read_text()
    assert published == render_schema(), "run: python -m governance.reference"
    jsonschema.Draft202012Validator.check_schema(audit_result_schema())


def test_example_data_is_reproduced_by_its_script(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "generate_data", REPO / "examples" / "hiring" / "generate_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = module.write(tmp_path / "applicants.csv")
    committed = REPO / "examples" / "hiring" / "data" / "applicants.csv"
    assert (
        hashlib.sha256(generated.read_bytes()).digest()
        == hashlib.sha256(committed.read_bytes()).digest()
    )


def test_wheel_ships_policies_templates_and_schemas(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("governance_audit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "governance/_bundled/policies/baseline.yaml" in names
    assert "governance/_bundled/templates/summary.md.j2" in names
    assert "governance/_bundled/schemas/audit-result.schema.json" in names
    for schema in ("manifest", "policy", "waivers"):  # for editors, from the installed package
        assert f"governance/_bundled/schemas/{schema}.schema.json" in names
    assert "governance/cli/app.py" in names
