"""`assessment-results.json`: valid against NIST's OSCAL 1.1.3 JSON schema, loadable by an
independent implementation (compliance-trestle), tied to the controls the rules cite, and the
same bytes for the same result."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import validators
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import Outcome
from governance.render.oscal_controls import oscal_control_id, oscal_control_ids
from governance.render.oscal_results import render_oscal

SCHEMA = Path(__file__).parents[1] / "schemas" / "oscal_assessment-results_schema-1.1.3.json"


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """OSCAL's token pattern uses Unicode property classes (`\\p{L}`), which Python's `re`
    does not know; the `regex` module does, with the same meaning for the other patterns."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})


def _errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    found = OscalValidator(schema).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def test_the_canonical_audit_is_valid_oscal(result):
    document = json.loads(render_oscal(result))
    assert _errors(document) == []
    [assessed] = document["assessment-results"]["results"]
    assert document["assessment-results"]["metadata"]["oscal-version"] == "1.1.3"
    platform = assessed["local-definitions"]["assessment-assets"]["assessment-platforms"][0]
    assert platform["title"] == f"governance {result.tool.version}"
    observed = {o["props"][0]["value"] for o in assessed["observations"]}
    assert observed == {r.id for r in result.rules if r.outcome is not Outcome.SKIPPED}


def test_the_schema_checks_token_patterns(result):
    """The validator really applies OSCAL's Unicode patterns: a control id as rules write it
    is no OSCAL token."""
    document = json.loads(render_oscal(result))
    selection = document["assessment-results"]["results"][0]["reviewed-controls"]
    selection["control-selections"][0]["include-controls"][0]["control-id"] = "gdpr:art9"
    assert any("does not match" in error for error in _errors(document))


def test_findings_target_the_controls_the_rules_cite(result):
    findings = json.loads(render_oscal(result))["assessment-results"]["results"][0]["findings"]
    expected = {
        (oscal_control_id(control), rule.outcome is Outcome.PASSED)
        for rule in result.rules
        if rule.outcome in (Outcome.PASSED, Outcome.FAILED, Outcome.WAIVED, Outcome.ERRORED)
        for control in rule.controls
    }
    targets = {
        (f["target"]["target-id"], f["target"]["status"]["state"] == "satisfied") for f in findings
    }
    assert targets == expected and expected


def test_a_satisfied_finding_says_it_is_as_far_as_its_rule_tests(result):
    # "satisfied" is OSCAL's word for the objective: the finding must not read as a
    # determination that the whole control, or the regulation, is met.
    findings = json.loads(render_oscal(result))["assessment-results"]["results"][0]["findings"]
    satisfied = [f for f in findings if f["target"]["status"]["state"] == "satisfied"]
    assert satisfied
    for finding in satisfied:
        rule = finding["props"][1]["value"]
        assert finding["target"]["status"]["remarks"] == (
            f"Satisfied as far as rule {rule} tests it: not a determination that the control "
            "is met, nor of compliance with the regulation."
        )


@pytest.mark.parametrize(
    ("control", "token"),
    [
        ("eu-ai-act:annex-iv(2)(d)", "eu-ai-act_annex-iv.2.d"),
        ("gdpr:art9", "gdpr_art9"),
        ("eeoc:1607.4(D)", "eeoc_1607.4.D"),
        ("nyc-ll144:5-301(b)(1)", "nyc-ll144_5-301.b.1"),
        ("7:x", "_7_x"),
    ],
)
def test_control_ids_become_oscal_tokens(control, token):
    assert oscal_control_id(control) == token
    assert regex.fullmatch(r"(\p{L}|_)(\p{L}|\p{N}|[.\-_])*", token)


def test_the_same_result_gives_the_same_bytes_and_uuid5s(result):
    text = render_oscal(result)
    assert text == render_oscal(result)
    document = json.loads(text)["assessment-results"]
    assert uuid.UUID(document["uuid"]).version == 5
    changed = result.model_copy(update={"rules": result.rules[1:]})
    assert json.loads(render_oscal(changed))["assessment-results"]["uuid"] != document["uuid"]


def test_compliance_trestle_loads_it(result, tmp_path):
    from trestle.oscal.assessment_results import AssessmentResults

    path = tmp_path / "assessment-results.json"
    path.write_text(render_oscal(result), encoding="utf-8")
    loaded = AssessmentResults.oscal_read(path)
    assert loaded is not None
    assert str(loaded.uuid) == json.loads(path.read_text())["assessment-results"]["uuid"]
    assert len(loaded.results[0].observations or []) > 0


def test_oscal_is_a_report_file_the_attestation_names_and_verify_checks(small_audit, tmp_path):
    runner = CliRunner()
    keys, out = tmp_path / "keys", tmp_path / "out"
    init = ["keys", "init", "--name", "A", "--org", "O", "--email", "a@o.example", "--out"]
    assert runner.invoke(app, [*init, str(keys)]).exit_code == 0
    signing = ["--sign", "--key", str(keys / "signing-key.pem")]
    signing += ["--cert", str(keys / "signing-cert.pem")]
    audited = runner.invoke(
        app, ["audit", str(small_audit), "--out", str(out), "-f", "json,oscal", *signing]
    )
    assert audited.exit_code == 0, audited.output
    assert _errors(json.loads((out / "assessment-results.json").read_text())) == []
    trust = ["--trust", str(keys / "signing-cert.pem")]
    verified = runner.invoke(app, ["verify", str(out), *trust])
    assert verified.exit_code == 0, verified.output
    assert "assessment-results.json" in verified.output
    (out / "assessment-results.json").write_text("{}\n")
    tampered = runner.invoke(app, ["verify", str(out), *trust])
    assert tampered.exit_code == 1
    assert "assessment-results.json" in tampered.output


def test_the_subjects_are_the_audited_artefacts_not_how_they_were_assessed(result):
    from governance.engine.result import InputFile

    how = [
        InputFile(role=role, path=f"{role}.yaml", sha256="0" * 64, size=1)
        for role in ("manifest", "policy", "waivers")
    ]
    result = result.model_copy(update={"inputs": (*result.inputs, *how)})
    assessed = json.loads(render_oscal(result))["assessment-results"]["results"][0]
    items = assessed["local-definitions"]["inventory-items"]
    roles = {p["value"] for item in items for p in item["props"] if p["name"] == "input-role"}
    assert "dataset" in roles and "model_card" in roles
    assert roles <= {"model_card", "model_artifact", "dataset", "datasheet", "croissant"}


def test_controls_that_would_share_a_token_stay_apart_in_one_document():
    tokens = oscal_control_ids(["gdpr:art9", "acme:a§1", "acme:a-1", "gdpr_art9", "gdpr:art9"])
    assert tokens["gdpr:art9"] != tokens["gdpr_art9"]
    assert tokens["acme:a§1"] != tokens["acme:a-1"]
    assert len(set(tokens.values())) == 4
    assert all(regex.fullmatch(r"(\p{L}|_)(\p{L}|\p{N}|[.\-_])*", t) for t in tokens.values())
    # a control that collides with none keeps its readable token
    assert oscal_control_ids(["gdpr:art9", "acme:a-1"]) == {
        "gdpr:art9": "gdpr_art9",
        "acme:a-1": "acme_a-1",
    }
