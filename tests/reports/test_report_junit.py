"""JUnit XML: one test case per rule; failures, errors and skips as CI systems count them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from governance.engine.result import AuditResult
from governance.render.junit_report import render_junit
from governance.vocabulary.notes import Note, NoteKind


def _cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.attrib["name"].split(":")[0]: case for case in root.iter("testcase")}


def test_counts_match_the_audit(result: AuditResult) -> None:
    root = ET.fromstring(render_junit(result))
    (suite,) = root.findall("testsuite")
    counts = result.counts
    for element in (root, suite):
        assert int(element.attrib["tests"]) == len(result.rules) == len(_cases(root))
        assert (
            int(element.attrib["failures"]) == counts["failed"] == len(root.findall(".//failure"))
        )
        assert int(element.attrib["errors"]) == counts["errored"] == len(root.findall(".//error"))
        assert int(element.attrib["skipped"]) == counts["skipped"] + counts["waived"]
    assert len(root.findall(".//skipped")) == counts["skipped"] + counts["waived"]


def test_each_outcome_is_its_own_element(result: AuditResult) -> None:
    cases = _cases(ET.fromstring(render_junit(result)))
    assert list(cases["DOC-MC-001"]) == []  # passed
    failure = cases["DOC-MC-005"].find("failure")
    assert failure is not None and failure.attrib["message"] == "1 finding (high, blocks the gate)"
    assert "MODEL_CARD.md:45" in (failure.text or "")
    below = cases["DOC-MC-007"].find("failure")
    assert below is not None and "below the gate threshold" in below.attrib["message"]
    error = cases["ACME-001"].find("error")
    assert error is not None and "the check crashed" in error.attrib["message"]
    skipped = cases["DOC-DS-001"].find("skipped")
    assert skipped is not None and skipped.attrib["message"] == "no dataset declares a datasheet"
    waived = cases["DOC-MC-002"].find("skipped")
    assert waived is not None and waived.attrib["message"].startswith("waived: Agreed with Legal")
    assert cases["ACME-001"].attrib["classname"] == "acme"


def test_a_reported_rule_passes_with_its_figures_and_is_counted_apart(
    result: AuditResult,
) -> None:
    root = ET.fromstring(render_junit(result))
    case = _cases(root)["LL144-SEL-SEX"]
    assert [child.tag for child in case] == ["properties", "system-out"]  # no failure, no skip
    outcome = case.find("properties/property[@name='outcome']")
    assert outcome is not None and outcome.attrib["value"] == "reported"
    output = case.findtext("system-out") or ""
    assert "no threshold" in output
    assert "sex=Female\t0.9591" in output and "sex=Male\t1" in output
    suite_properties = {
        p.attrib["name"]: p.attrib["value"] for p in root.findall("testsuite/properties/property")
    }
    assert suite_properties["rules_reported"] == "1"
    assert suite_properties["rules_passed"] == "1"


def test_text_xml_cannot_carry_is_replaced_not_written(result: AuditResult) -> None:
    rule = next(r for r in result.rules if r.id == "DOC-MC-005")
    finding = rule.findings[0].model_copy(update={"message": "bad \x00 byte & <tag>"})
    changed = result.model_copy(
        update={
            "rules": tuple(
                r.model_copy(update={"findings": (finding,)}) if r.id == rule.id else r
                for r in result.rules
            )
        }
    )
    failure = _cases(ET.fromstring(render_junit(changed)))["DOC-MC-005"].find("failure")
    assert failure is not None and "bad \ufffd byte & <tag>" in (failure.text or "")


def test_a_reported_rule_with_notes_has_one_system_out(result: AuditResult) -> None:
    rule = next(r for r in result.rules if r.id == "LL144-SEL-SEX")
    noted = rule.model_copy(
        update={"notes": (Note(kind=NoteKind.NOT_COMPARED, text="sex=(unknown) not compared"),)}
    )
    changed = result.model_copy(
        update={"rules": tuple(noted if r.id == rule.id else r for r in result.rules)}
    )
    case = _cases(ET.fromstring(render_junit(changed)))["LL144-SEL-SEX"]
    (output,) = case.findall("system-out")  # the JUnit schema allows one per test case
    assert "sex=Female\t0.9591" in (output.text or "")
    assert (output.text or "").endswith("- sex=(unknown) not compared")
