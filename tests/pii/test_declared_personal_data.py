"""Declared versus found: what a dataset's Croissant file says about personal data, against
what the audit's pii rules measured. The finding quotes where the declaration is and the
counts, never a value."""

from __future__ import annotations

import json

import pytest

from governance.engine.result import Outcome
from governance.engine.run import run_audit
from governance.render.html_report import render_html
from governance.render.json_report import render_json

RAI = "http://mlcommons.org/croissant/RAI/"
EMAILS = [f"person{i}@mail.example.org" for i in range(20)]
POLICY = """\
policy: p
rules:
  - id: DECL-1
    title: declared personal data matches the data
    severity: high
    declarations: {datasets: "*", compare: [personal_data]}
  - id: PII-1
    title: no contact details
    severity: high
    pii: {entities: [EMAIL_ADDRESS, PHONE_NUMBER], mode: exhaustive}
"""


def _audit(write, declaration: object, policy: str = POLICY):
    rows = "\n".join(f"{i},{email},note {i}" for i, email in enumerate(EMAILS))
    write("data.csv", "id,contact,notes\n" + rows + "\n")
    document = {"@context": {"rai": RAI}, "name": "d"}
    if declaration is not None:
        document["rai:personalSensitiveInformation"] = declaration
    write("d.croissant.json", json.dumps(document, indent=1))
    write("policy.yaml", policy)
    manifest = write(
        "audit.yaml",
        "name: t\ndatasets:\n  d: {path: data.csv, croissant: d.croissant.json}\n"
        "policies: [policy.yaml]\n",
    )
    return {rule.id: rule for rule in run_audit(manifest).rules}


def test_a_declaration_of_no_personal_data_fails_when_the_scan_finds_some(write):
    # The declarations rule comes first in the policy and still sees the scan's evidence.
    rules = _audit(write, "None: the records are pseudonymised.")
    declared = rules["DECL-1"]
    assert declared.outcome is Outcome.FAILED
    [finding] = declared.findings
    assert finding.message == (
        "/rai:personalSensitiveInformation declares no personal data, but the scan found "
        "EMAIL_ADDRESS in 'contact' (20 of 20 distinct values)"
    )
    assert (finding.location.path, finding.location.line) == ("d.croissant.json", 6)
    assert not any(email in finding.message for email in EMAILS)
    [row] = declared.evidence.datasets
    assert (row.denies, row.declared, row.scanned_entities) == (
        True,
        (),
        ("EMAIL_ADDRESS", "PHONE_NUMBER"),
    )
    assert [(f.entity, f.column, f.hits, f.rule) for f in row.found] == [
        ("EMAIL_ADDRESS", "contact", 20, "PII-1")
    ]


def test_a_declaration_naming_what_is_found_passes_and_unseen_entities_are_a_note(write):
    rules = _audit(write, ["Contact e-mail addresses", "telephone numbers", "US_PASSPORT"])
    declared = rules["DECL-1"]
    assert declared.outcome is Outcome.PASSED
    assert [note.text for note in declared.notes] == [
        "rai:personalSensitiveInformation (d.croissant.json#/rai:personalSensitiveInformation) "
        "of dataset 'd' declares PHONE_NUMBER, which the pii rules found in no column",
        "rai:personalSensitiveInformation (d.croissant.json#/rai:personalSensitiveInformation) "
        "of dataset 'd' declares US_PASSPORT, which no pii rule of the audit looks for",
    ]


def test_a_declaration_that_leaves_out_what_is_found_fails(write):
    declared = _audit(write, "Self-reported gender and age band.")["DECL-1"]
    assert [f.message for f in declared.findings] == [
        "/rai:personalSensitiveInformation does not declare EMAIL_ADDRESS, but the scan found "
        "EMAIL_ADDRESS in 'contact' (20 of 20 distinct values)"
    ]


def test_without_a_pii_rule_or_a_declaration_nothing_is_compared(write):
    alone = POLICY[: POLICY.index("  - id: PII-1")]
    skipped = _audit(write, "None.", policy=alone)["DECL-1"]
    assert skipped.outcome is Outcome.SKIPPED
    assert "no pii rule" in skipped.reason
    silent = _audit(write, None)["DECL-1"]
    assert silent.outcome is Outcome.PASSED
    assert [note.text for note in silent.notes] == [
        "the Croissant file of dataset 'd' has no rai:personalSensitiveInformation"
    ]


@pytest.mark.parametrize(
    ("text", "denies", "entities"),
    [
        ("None", True, set()),
        ("No personally identifiable information.", True, set()),
        ("The dataset contains no personal data.", True, set()),
        ("No e-mail addresses are kept.", True, set()),
        ("Phone numbers; no e-mail addresses", False, {"PHONE_NUMBER"}),
        ("Gender, age, geography.", False, set()),
        ("Names, home address and date of birth", False, {"PERSON", "LOCATION", "DATE_TIME"}),
    ],
)
def test_what_a_declaration_text_says(text, denies, entities):
    from governance.checks.declarations.personal_data_terms import read_declaration
    from governance.personal_data.entity_names import KNOWN_ENTITIES

    read = read_declaration(text, KNOWN_ENTITIES)
    assert (read.denies, set(read.entities)) == (denies, entities)


def _datasheet_audit(write, datasheet: str):
    rows = "\n".join(f"{i},{email},note {i}" for i, email in enumerate(EMAILS))
    write("data.csv", "id,contact,notes\n" + rows + "\n")
    write("DATASHEET.md", datasheet)
    write("policy.yaml", POLICY)
    manifest = write(
        "audit.yaml",
        "name: t\ndatasets:\n  d: {path: data.csv, datasheet: DATASHEET.md}\n"
        "policies: [policy.yaml]\n",
    )
    return {rule.id: rule for rule in run_audit(manifest).rules}["DECL-1"]


DATASHEET = "# Datasheet\n\n## Composition\n\nApplicants.\n\n## Personal and sensitive data\n\n{}\n"


def test_a_datasheet_section_declaring_no_personal_data_fails_when_the_scan_finds_some(write):
    declared = _datasheet_audit(write, DATASHEET.format("None: the records are pseudonymised."))
    assert declared.outcome is Outcome.FAILED
    [finding] = declared.findings
    assert finding.message == (
        "the datasheet's section 'Personal and sensitive data' declares no personal data, but "
        "the scan found EMAIL_ADDRESS in 'contact' (20 of 20 distinct values)"
    )
    assert (finding.location.path, finding.location.line) == ("DATASHEET.md", 7)
    [row] = declared.evidence.datasets
    assert (row.document, row.path, row.denies) == ("datasheet", "DATASHEET.md", True)


def test_a_datasheet_section_naming_what_is_found_passes_and_unseen_entities_are_a_note(write):
    declared = _datasheet_audit(write, DATASHEET.format("E-mail addresses and phone numbers."))
    assert declared.outcome is Outcome.PASSED
    assert [note.text for note in declared.notes] == [
        "the datasheet's section 'Personal and sensitive data' (DATASHEET.md) of dataset 'd' "
        "declares PHONE_NUMBER, which the pii rules found in no column"
    ]


def test_a_datasheet_without_a_section_on_personal_data_is_not_compared(write):
    declared = _datasheet_audit(write, "# Datasheet\n\n## Composition\n\nNone.\n")
    assert declared.outcome is Outcome.SKIPPED
    assert "datasheet section on personal data" in declared.reason


def test_a_croissant_file_and_a_datasheet_each_declaring_none_are_two_findings(write):
    write("DATASHEET.md", DATASHEET.format("None."))
    rows = "\n".join(f"{i},{email},note {i}" for i, email in enumerate(EMAILS))
    write("data.csv", "id,contact,notes\n" + rows + "\n")
    document = {"@context": {"rai": RAI}, "rai:personalSensitiveInformation": "None"}
    write("d.croissant.json", json.dumps(document, indent=1))
    write("policy.yaml", POLICY)
    manifest = write(
        "audit.yaml",
        "name: t\ndatasets:\n  d: {path: data.csv, datasheet: DATASHEET.md, "
        "croissant: d.croissant.json}\npolicies: [policy.yaml]\n",
    )
    declared = {rule.id: rule for rule in run_audit(manifest).rules}["DECL-1"]
    assert [f.location.path for f in declared.findings] == ["d.croissant.json", "DATASHEET.md"]
    assert len({f.fingerprint for f in declared.findings}) == 2


def test_a_declaration_under_a_hostile_term_reaches_no_output_raw(write):
    """The pointer quotes the key as written: a term the context maps to the RAI property may
    hold personal data or a bidirectional override, masked and escaped like any identifier."""
    term = "decl\u202ejane.roe@mail.example.org"
    rows = "\n".join(f"{i},{email}" for i, email in enumerate(EMAILS))
    write("data.csv", "id,contact\n" + rows + "\n")
    context = {"rai": RAI, term: f"{RAI}personalSensitiveInformation"}
    write("d.croissant.json", json.dumps({"@context": context, term: "None."}))
    write("policy.yaml", POLICY)
    manifest = write(
        "audit.yaml",
        "name: t\ndatasets:\n  d: {path: data.csv, croissant: d.croissant.json}\n"
        "policies: [policy.yaml]\n",
    )
    result = run_audit(manifest)
    [row] = next(rule for rule in result.rules if rule.id == "DECL-1").evidence.datasets
    assert row.pointer == "/decl\\u202ej***@m***.org"
    for output in (render_json(result), render_html(result)):
        assert "jane.roe" not in output and "\u202e" not in output
