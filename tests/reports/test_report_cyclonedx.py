"""`bom.cdx.json`: a CycloneDX 1.6 ML-BOM that cyclonedx-python-lib's schema validation accepts,
naming the model, the datasets and their digests, the tool and libraries, and the outcome."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from governance.checks.fairness.evidence import FairnessEvidence
from governance.engine.result import AuditResult, InputFile
from governance.render.cyclonedx_bom import render_cyclonedx
from governance.render.formats import DEFAULT_FORMATS, ReportFormat


def _bom(result: AuditResult) -> dict[str, Any]:
    return dict(json.loads(render_cyclonedx(result)))


def test_the_format_writes_bom_cdx_json_and_is_opt_in() -> None:
    assert ReportFormat.CYCLONEDX.file_name == "bom.cdx.json"
    assert ReportFormat.CYCLONEDX not in DEFAULT_FORMATS
    assert ReportFormat.OPENMETRICS not in DEFAULT_FORMATS


@pytest.mark.parametrize("which", ["canonical", "figures", "example"])
def test_the_bom_is_valid_cyclonedx_1_6(
    which: str,
    result: AuditResult,
    figures_result: AuditResult,
    example_audit_result: AuditResult,
) -> None:
    audited = {"canonical": result, "figures": figures_result, "example": example_audit_result}
    text = render_cyclonedx(audited[which])
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    assert json.loads(text)["specVersion"] == "1.6"


def test_an_invalid_model_card_would_be_refused() -> None:
    # The validation the tests rely on does read the fields added beside the library's output.
    document = _bom_of_canonical()
    document["metadata"]["component"]["modelCard"]["considerations"] = {"risks": ["none"]}
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document))
    assert errors is not None


def _bom_of_canonical() -> dict[str, Any]:
    from tests.reports.canonical_audit import canonical_result

    return _bom(canonical_result())


def test_the_model_datasets_digests_tools_and_outcome_are_named(
    example_audit_result: AuditResult,
) -> None:
    result = example_audit_result
    assert result.model is not None
    bom = _bom(result)
    model = bom["metadata"]["component"]
    assert model["type"] == "machine-learning-model"
    assert model["hashes"] == [{"alg": "SHA-256", "content": result.model.sha256}]
    card_properties = model["modelCard"]["properties"]
    features = [p["value"] for p in card_properties if p["name"] == "governance:input_feature"]
    assert features == list(result.model.features)
    components = {c["name"]: c for c in bom["components"]}
    for item in result.inputs:
        if item.role == "model_artifact":
            continue
        component = components[item.path]
        assert component["hashes"] == [{"alg": "SHA-256", "content": item.sha256}]
        assert component["type"] == ("data" if item.role == "dataset" else "file")
    dataset = components["data/applicants.csv"]
    assert dataset["data"] == [{"type": "dataset", "name": "data/applicants.csv"}]
    refs = [d["ref"] for d in model["modelCard"]["modelParameters"]["datasets"]]
    assert dataset["bom-ref"] in refs
    tools = {t["name"]: t["version"] for t in bom["metadata"]["tools"]["components"]}
    assert tools == {"governance": result.tool.version, **result.tool.libraries}
    properties = {p["name"]: p["value"] for p in bom["metadata"]["properties"]}
    assert properties["governance:verdict"] == result.verdict.value == "failed"
    for rule in result.rules:
        assert properties[f"governance:rule:{rule.id}"] == rule.outcome.value
    assert bom["metadata"]["timestamp"] == result.audit.created_at.isoformat()


def test_the_model_card_holds_the_measured_figures_and_the_failing_groups(
    example_audit_result: AuditResult,
) -> None:
    card = _bom(example_audit_result)["metadata"]["component"]["modelCard"]
    metrics = {
        (m["type"], m["slice"]): m for m in card["quantitativeAnalysis"]["performanceMetrics"]
    }
    rule = next(r for r in example_audit_result.rules if r.id == "EEOC-4-5")
    assert isinstance(rule.evidence, FairnessEvidence)
    failing = [
        group
        for feature_set in rule.evidence.feature_sets
        for rates in feature_set.rates
        for group in rates.groups
        if group.failing
    ]
    assert failing
    for group in failing:
        rate = metrics[("selection rate", f"applicants: {group.group}")]
        assert float(rate["value"]) == group.rate
        assert float(rate["confidenceInterval"]["lowerBound"]) == group.ci_low
        ratio = metrics[("selection rate impact ratio", f"applicants: {group.group}")]
        assert float(ratio["value"]) == group.impact_ratio
    at_risk = {a["groupAtRisk"] for a in card["considerations"]["fairnessAssessments"]}
    assert {group.group for group in failing} <= at_risk
    risks = [r["name"] for r in card["considerations"]["ethicalConsiderations"]]
    assert any(name.startswith("EEOC-4-5 (high, failed)") for name in risks)


def test_the_serial_number_follows_the_inputs_and_the_bytes_repeat(result: AuditResult) -> None:
    first, again = render_cyclonedx(result), render_cyclonedx(result)
    assert first == again
    changed_input = InputFile(role="dataset", path="data/applicants.csv", sha256="d" * 64, size=1)
    inputs = tuple(changed_input if i.role == "dataset" else i for i in result.inputs)
    other = _bom(result.model_copy(update={"inputs": inputs}))
    serial = json.loads(first)["serialNumber"]
    assert serial.startswith("urn:uuid:")
    assert other["serialNumber"] != serial


def test_the_model_card_fields_come_from_the_card_with_personal_data_masked(
    figures_result: AuditResult,
) -> None:
    model = _bom(figures_result)["metadata"]["component"]
    assert model["name"] == "figures-screen"  # the card's model-index name
    assert model["licenses"] == [{"license": {"id": "MIT"}}]
    card = model["modelCard"]
    assert card["modelParameters"]["task"] == "tabular-classification"
    considerations = card["considerations"]
    assert considerations["useCases"] == [
        "Ranking applications for a recruiter to read first; never to reject one automatically."
    ]
    assert "technicalLimitations" not in considerations  # the section is a placeholder
    ethics = considerations["ethicalConsiderations"][0]["name"]
    assert ethics.startswith("Selection rates differ by band; questions to e")
    assert "e***@e***.org" in ethics and "ethics.desk" not in ethics
    risks = [r["name"] for r in considerations["ethicalConsiderations"][1:]]
    assert any(name.startswith("FAIR-1 (high, failed)") for name in risks)
