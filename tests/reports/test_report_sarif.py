"""SARIF: valid against the official 2.1.0 schema; levels, locations and waivers for CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from governance.engine.result import AuditResult
from governance.render.sarif_report import render_sarif
from governance.vocabulary.findings import FindingLocation

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"


def _sarif(result: AuditResult) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render_sarif(result))
    return log


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the official OASIS schema
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_log_is_valid_sarif_2_1_0(
    result: AuditResult, validator: jsonschema.Draft4Validator
) -> None:
    log = _sarif(result)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_a_schema_violation_would_be_caught(
    result: AuditResult, validator: jsonschema.Draft4Validator
) -> None:
    log = _sarif(result)
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(log))


def test_one_descriptor_per_rule_with_help_and_severity_level(result: AuditResult) -> None:
    driver = _sarif(result)["runs"][0]["tool"]["driver"]
    descriptors = {d["id"]: d for d in driver["rules"]}
    assert set(descriptors) == {r.id for r in result.rules}
    assert descriptors["DOC-MC-005"]["defaultConfiguration"]["level"] == "error"  # high
    assert descriptors["DOC-MC-007"]["defaultConfiguration"]["level"] == "warning"  # medium
    assert descriptors["DOC-DS-001"]["defaultConfiguration"]["level"] == "note"  # low
    assert 'Remediation: Add a "Limitations" section.' in descriptors["DOC-MC-005"]["help"]["text"]


def test_results_are_the_failing_and_waived_findings_located_relative_to_the_manifest(
    result: AuditResult,
) -> None:
    run = _sarif(result)["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"] if r["kind"] == "fail"}
    assert set(by_rule) == {"DOC-MC-005", "DOC-MC-007", "DOC-MC-002"}
    location = by_rule["DOC-MC-005"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "MODEL_CARD.md", "uriBaseId": "MANIFEST_DIR"}
    assert location["region"] == {"startLine": 45}
    assert "MANIFEST_DIR" in run["originalUriBaseIds"]
    assert "suppressions" not in by_rule["DOC-MC-005"]
    (suppression,) = by_rule["DOC-MC-002"]["suppressions"]
    assert suppression["status"] == "accepted"
    assert "Agreed with Legal" in suppression["justification"]
    for entry in run["results"]:
        descriptor = run["tool"]["driver"]["rules"][entry["ruleIndex"]]
        assert descriptor["id"] == entry["ruleId"]


def test_a_reported_rule_is_an_informational_result_and_a_note_rule(result: AuditResult) -> None:
    run = _sarif(result)["runs"][0]
    (reported,) = [r for r in run["results"] if r["kind"] != "fail"]
    assert reported["ruleId"] == "LL144-SEL-SEX"
    # SARIF 3.27.10: a result whose kind is not "fail" has level "none".
    assert (reported["kind"], reported["level"]) == ("informational", "none")
    assert "figures reported, not judged" in reported["message"]["text"]
    descriptor = run["tool"]["driver"]["rules"][reported["ruleIndex"]]
    assert descriptor["defaultConfiguration"]["level"] == "note"
    assert descriptor["properties"]["outcome"] == "reported"
    assert run["properties"]["counts"]["reported"] == 1


def test_errored_rules_are_tool_notifications_not_results(result: AuditResult) -> None:
    (invocation,) = _sarif(result)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["descriptor"]["id"] == "ACME-001"
    assert "the check crashed" in notification["message"]["text"]


def test_paths_with_spaces_are_encoded_as_uri_references(
    result: AuditResult, validator: jsonschema.Draft4Validator
) -> None:
    rule = next(r for r in result.rules if r.id == "DOC-MC-005")
    finding = rule.findings[0].model_copy(
        update={"location": FindingLocation(path="docs/model card #2.md", line=3)}
    )
    moved = rule.model_copy(update={"findings": (finding,)})
    changed = result.model_copy(
        update={"rules": tuple(moved if r.id == rule.id else r for r in result.rules)}
    )
    log = _sarif(changed)
    assert not list(validator.iter_errors(log))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert "docs/model%20card%20%232.md" in uris
