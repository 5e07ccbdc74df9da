"""`assessment-results.json`: the audit as an OSCAL 1.1.3 assessment-results document.

One result for the audit: the tool as the assessment platform, every audited artefact (model
card, model, datasets, datasheets, Croissant files; not the manifest, policies or waivers,
which say how to assess) as an inventory item (the subjects), one observation per rule that
ran (its outcome and findings), and one finding per control a judged rule cites, satisfied or
not as far as that rule tests it (the control ids through `oscal_control_ids`).
Deterministic: every UUID is a uuid5 of the result's digest and the element's own key, every
date the audit's time, so the same result gives the same bytes. All text comes from the
result, where identifiers and personal data are already masked."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from governance.engine.result import AuditResult, InputFile, Outcome, RuleResult
from governance.render.oscal_controls import oscal_control_ids

OSCAL_VERSION = "1.1.3"
NAMESPACE = "https://governance.invalid/ns/oscal"
"""The `ns` of the properties this document defines (OSCAL's own have none): a URL, as OSCAL
tools expect, under the reserved `.invalid` domain, so that it names without pointing anywhere."""
_UUIDS = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)
_JUDGED = {
    Outcome.PASSED: "satisfied",
    Outcome.FAILED: "not-satisfied",
    Outcome.WAIVED: "not-satisfied",
    Outcome.ERRORED: "not-satisfied",
}
_METHODS = {"documentation": "EXAMINE", "declarations": "EXAMINE"}
_SUBJECT_ROLES = frozenset({"dataset", "datasheet", "croissant", "model_card", "model_artifact"})


def render_oscal(result: AuditResult) -> str:
    ids = _Ids(hashlib.sha256(result.model_dump_json().encode()).hexdigest())
    when = _timestamp(result)
    ran = [rule for rule in result.rules if rule.outcome is not Outcome.SKIPPED]
    subjects = [item for item in result.inputs if item.role in _SUBJECT_ROLES]
    tokens = oscal_control_ids(c for rule in result.rules for c in rule.controls)
    document = {
        "assessment-results": {
            "uuid": ids("assessment-results"),
            "metadata": _metadata(result, when),
            "import-ap": {
                "href": result.audit.manifest,
                "remarks": "No separate assessment plan: the audit manifest and its policies "
                "say what was assessed and how.",
            },
            "results": [
                {
                    "uuid": ids("result"),
                    "title": f"Audit {result.audit.name}",
                    "description": result.audit.description or f"Audit {result.audit.name}.",
                    "start": when,
                    "end": when,
                    "props": [_prop("verdict", result.verdict.value)],
                    "local-definitions": _local_definitions(result, ids, subjects),
                    "reviewed-controls": _reviewed_controls(tokens),
                    **_nonempty(
                        "observations", [_observation(r, ids, subjects, when) for r in ran]
                    ),
                    **_nonempty("findings", [f for r in ran for f in _findings(r, ids, tokens)]),
                }
            ],
        }
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class _Ids:
    def __init__(self, digest: str):
        self.digest = digest

    def __call__(self, *key: str) -> str:
        return str(uuid.uuid5(_UUIDS, ":".join((self.digest, *key))))


def _timestamp(result: AuditResult) -> str:
    return result.audit.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _metadata(result: AuditResult, when: str) -> dict[str, Any]:
    return {
        "title": f"governance audit {result.audit.name}",
        "last-modified": when,
        "version": when,
        "oscal-version": OSCAL_VERSION,
        "props": [_prop("result-schema-version", result.schema_version)],
    }


def _local_definitions(result: AuditResult, ids: _Ids, subjects: list[InputFile]) -> dict[str, Any]:
    platform = {
        "uuid": ids("platform"),
        "title": f"governance {result.tool.version}",
        "props": [_prop("python", result.tool.python)],
    }
    definitions: dict[str, Any] = {"assessment-assets": {"assessment-platforms": [platform]}}
    if subjects:
        definitions["inventory-items"] = [_inventory_item(item, ids) for item in subjects]
    return definitions


def _inventory_item(item: InputFile, ids: _Ids) -> dict[str, Any]:
    return {
        "uuid": ids("input", item.path),
        "description": f"{item.role.replace('_', ' ')} {item.path}",
        "props": [
            _prop("input-role", item.role),
            _prop("path", item.path),
            _prop("sha256", item.sha256),
        ],
    }


def _reviewed_controls(tokens: Mapping[str, str]) -> dict[str, Any]:
    controls = sorted(set(tokens.values()))
    selection: dict[str, Any] = {"description": "The controls the audit's rules cite."}
    if controls:
        selection["include-controls"] = [{"control-id": control} for control in controls]
    return {"control-selections": [selection]}


def _observation(
    rule: RuleResult, ids: _Ids, subjects: list[InputFile], when: str
) -> dict[str, Any]:
    lines = [f"Rule {rule.id} ({rule.severity.value}): {rule.outcome.value}."]
    if rule.reason:
        lines.append(rule.reason)
    lines += [f"- {finding.message}" for finding in rule.findings]
    lines += [f"- note: {note.text}" for note in rule.notes]
    observation: dict[str, Any] = {
        "uuid": ids("observation", rule.id),
        "title": rule.title,
        "description": "\n".join(lines),
        "props": [_prop("rule-id", rule.id), _prop("outcome", rule.outcome.value)],
        "methods": [_METHODS.get(rule.kind, "TEST")],
        "types": ["finding"] if rule.findings else ["control-objective"],
        "collected": when,
    }
    if subjects:
        observation["subjects"] = [
            {"subject-uuid": ids("input", item.path), "type": "inventory-item", "title": item.path}
            for item in subjects
        ]
    if rule.evidence is not None:
        observation["relevant-evidence"] = [
            {"href": "audit.json", "description": f"The evidence of rule {rule.id}."}
        ]
    return observation


def _findings(rule: RuleResult, ids: _Ids, tokens: Mapping[str, str]) -> list[dict[str, Any]]:
    state = _JUDGED.get(rule.outcome)
    if state is None:  # reported figures have no verdict to give a control
        return []
    return [
        {
            "uuid": ids("finding", rule.id, control),
            "title": f"{control}: {rule.title}",
            "description": f"Rule {rule.id} {rule.outcome.value}"
            + (
                f" ({len(rule.findings)} finding{'s' if len(rule.findings) != 1 else ''})."
                if rule.findings
                else "."
            ),
            "props": [_prop("control", control), _prop("rule-id", rule.id)],
            "target": {
                "type": "objective-id",
                "target-id": tokens[control],
                "status": _status(rule, state),
            },
            "related-observations": [{"observation-uuid": ids("observation", rule.id)}],
        }
        for control in rule.controls
    ]


def _status(rule: RuleResult, state: str) -> dict[str, str]:
    """A control's state, which rests on one rule's test: a satisfied one says so, lest it
    read as the whole control met."""
    if state != "satisfied":
        return {"state": state}
    return {
        "state": state,
        "remarks": f"Satisfied as far as rule {rule.id} tests it: not a determination that the "
        "control is met, nor of compliance with the regulation.",
    }


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NAMESPACE, "value": " ".join(value.split()) or "-"}


def _nonempty(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """OSCAL arrays have at least one item: an empty one is left out."""
    return {key: items} if items else {}
