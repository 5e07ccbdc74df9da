"""The reference of every key: JSON Schemas and `docs/reference.md`, generated from the models,
published up to date, accepted by the example files and refusing what the tool refuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from governance.cli.app import app
from governance.reference.input_schemas import INPUT_FILES, input_schema
from governance.reference.published import REGENERATE, generated_files
from governance.resources import resource_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "hiring"
runner = CliRunner()


@pytest.mark.parametrize("relative", sorted(generated_files(), key=str), ids=str)
def test_generated_file_is_up_to_date(relative):
    published = REPO / relative
    assert published.is_file(), f"{relative} is missing: run `{REGENERATE}`"
    assert published.read_text(encoding="utf-8") == generated_files()[relative], (
        f"{relative} is out of date with the models: run `{REGENERATE}`"
    )


def test_the_regenerate_command_writes_every_generated_file(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "governance.reference", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.splitlines() == [f"wrote {path}" for path in generated_files()]
    for relative, text in generated_files().items():
        assert (tmp_path / relative).read_text(encoding="utf-8") == text


def _schema(name: str) -> dict[str, Any]:
    return json.loads((resource_dir("schemas") / f"{name}.schema.json").read_text())


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _as_an_editor_reads(path: Path) -> Any:
    """YAML as an editor's schema check sees it: dates are text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("manifest", EXAMPLE / "audit.yaml"),
        ("policy", EXAMPLE / "hiring-policy.yaml"),
        ("waivers", EXAMPLE / "waivers.yaml"),
        *(("policy", pack) for pack in sorted((REPO / "policies").glob("*.yaml"))),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_example_files_and_builtin_packs_validate_against_the_schemas(name, path):
    errors = [error.message for error in _validator(name).iter_errors(_as_an_editor_reads(path))]
    assert errors == []


@pytest.mark.parametrize(
    ("name", "file"),
    [("manifest", "audit.yaml"), ("policy", "hiring-policy.yaml"), ("waivers", "waivers.yaml")],
)
def test_example_files_name_their_schema_for_the_yaml_language_server(name, file):
    first_line = (EXAMPLE / file).read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    named = (EXAMPLE / first_line.removeprefix(prefix)).resolve()
    assert named == (REPO / "schemas" / f"{name}.schema.json").resolve()


def _policy(block: dict[str, Any], **rule: Any) -> dict[str, Any]:
    return {
        "policy": "p",
        "rules": [{"id": "R", "title": "t", "severity": "high", **block, **rule}],
    }


FAIRNESS = {"fairness": {"metric": "selection_rate", "min": 0.8}}


@pytest.mark.parametrize(
    "policy",
    [
        _policy({}),  # no check block
        _policy({**FAIRNESS, "pii": {"entities": ["US_SSN"]}}),  # two check blocks
        _policy({"fairness": {"metric": "selection_rat"}}),  # misspelt metric
        _policy({"fairness": {"metric": "precision", "metrics": ["precision"]}}),
        _policy({"fairness": {"min": 0.8}}),  # no metric
        _policy({"fairness": {"metric": "precision", "colour": 1}}),  # unknown key in a block
        _policy({"fairness": {"metric": "precision", "kind": "pii"}}),  # the tag is not written
        _policy(FAIRNESS, severity="hig"),
        _policy(FAIRNESS, colour="red"),
    ],
)
def test_the_policy_schema_refuses_what_the_tool_refuses(policy):
    assert not _validator("policy").is_valid(policy)


def test_the_policy_schema_takes_each_check_block_as_written():
    validator = _validator("policy")
    assert validator.is_valid(_policy(FAIRNESS))
    assert validator.is_valid(_policy({"fairness": {"metrics": ["precision"], "compare": "ratio"}}))
    assert validator.is_valid(_policy({"pii": {"entities": ["US_SSN"], "columns": "email*"}}))
    assert validator.is_valid(
        _policy({"documentation": {"document": "model_card", "required_sections": ["Use"]}})
    )


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [
        (f"{where}.{key}", value)
        for where, node in (("(top)", schema), *schema.get("$defs", {}).items())
        for key, value in node.get("properties", {}).items()
    ]
    return found


@pytest.mark.parametrize("kind", INPUT_FILES, ids=lambda kind: kind.name)
def test_every_key_has_a_meaning(kind):
    schema = input_schema(kind)
    defs = schema.get("$defs", {})
    missing = [
        where
        for where, value in _properties(schema)
        if not value.get("description")
        and not defs.get(str(value.get("$ref", "")).rsplit("/", 1)[-1], {}).get("description")
    ]
    assert missing == [], "write a docstring under each of these fields, in its model"


def test_the_markdown_reference_lists_every_check_kind_and_parameter():
    reference = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    policy = input_schema(next(kind for kind in INPUT_FILES if kind.name == "policy"))
    for spec in ("DocumentationSpec", "FairnessSpec", "PiiSpec"):
        for key in policy["$defs"][spec]["properties"]:
            assert f"| `{key}` |" in reference
    assert "### `rules[].fairness`" in reference
    assert "| `min_share` | number (≥ 0.0, < 1.0) | `0.0` | Groups under this share" in reference
    assert "| `expires` | date (YYYY-MM-DD) | required | Last day on which" in reference


def test_schema_command_prints_the_shipped_schema_and_its_path():
    printed = runner.invoke(app, ["schema", "manifest"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == _schema("manifest")
    located = runner.invoke(app, ["schema", "policy", "--path"])
    assert located.exit_code == 0
    assert Path(located.stdout.strip()) == resource_dir("schemas") / "policy.schema.json"
    wrong = runner.invoke(app, ["schema", "polcy"])
    assert wrong.exit_code == 2
    assert "no schema named 'polcy' (did you mean 'policy'?)" in wrong.stderr
