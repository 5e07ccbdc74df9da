"""Machine-readable documentation: a dataset's Croissant file (its Responsible-AI properties,
in either prefix form) and a model card's Hugging Face front matter, checked as the Markdown
sections are, with malformed input refused at its file, line and key."""

from __future__ import annotations

import json
import textwrap
import time

import pytest

from governance.checks.documentation.croissant import read_croissant
from governance.engine.result import Outcome
from governance.engine.run import run_audit
from governance.errors import InputError
from tests.conftest import audit_refused

RAI = "http://mlcommons.org/croissant/RAI/"
CONTEXT = {"@vocab": "https://schema.org/", "sc": "https://schema.org/", "rai": RAI}


def _croissant_audit(write, croissant_text: str, rule: str) -> object:
    write("data.csv", "a,b\n1,2\n")
    write("data.croissant.json", croissant_text)
    write(
        "policy.yaml",
        "policy: docs\nrules:\n  - id: RAI-1\n    title: t\n    severity: high\n"
        "    documentation:\n" + textwrap.indent(textwrap.dedent(rule), "      "),
    )
    return write(
        "audit.yaml",
        "name: t\ndatasets:\n  d: {path: data.csv, croissant: data.croissant.json}\n"
        "policies: [policy.yaml]\n",
    )


RULE = """\
    document: croissant
    min_words: 3
    required_properties: [rai:dataCollection, "http://mlcommons.org/croissant/RAI/dataBiases",
                          rai:dataLimitations, rai:dataUseCases]
"""


def test_rai_properties_are_checked_like_sections_in_either_prefix_form(write):
    document = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "d",
        "rai:dataCollection": "Exported from the tracking system in 2025.",
        f"{RAI}dataBiases": ["Unknown values are", "grouped together."],
        "rai:dataLimitations": "TBD",
        "rai:dataUseCases": "",
    }
    manifest = _croissant_audit(write, json.dumps(document, indent=2), RULE)
    result = run_audit(manifest).rules[0]
    assert result.outcome is Outcome.FAILED
    statuses = {s.required: s.status.value for s in result.evidence.documents[0].sections}
    assert statuses == {
        "rai:dataCollection": "found",
        f"{RAI}dataBiases": "found",
        "rai:dataLimitations": "placeholder",
        "rai:dataUseCases": "empty",
    }
    assert [(f.message, f.location.line) for f in result.findings] == [
        ("property 'rai:dataLimitations' (at '/rai:dataLimitations') holds only a placeholder", 14),
        ("property 'rai:dataUseCases' (at '/rai:dataUseCases') is empty", 15),
    ]


def test_a_prefix_the_file_binds_to_the_rai_namespace_counts(write):
    document = {
        "@context": {"sc": "https://schema.org/", "resp": RAI, "limits": f"{RAI}dataLimitations"},
        "resp:dataCollection": "Exported from the tracking system.",
        "resp:dataBiases": "Unknown values are grouped together.",
        "limits": "One country and six months only.",
        "resp:dataUseCases": "Auditing the hiring screen only.",
    }
    manifest = _croissant_audit(write, json.dumps(document), RULE)
    assert run_audit(manifest).rules[0].outcome is Outcome.PASSED


def test_a_missing_property_fails_and_a_missing_croissant_file_fails(write):
    document = {"@context": CONTEXT, "rai:dataCollection": "Exported from the tracking system."}
    manifest = _croissant_audit(write, json.dumps(document), RULE)
    messages = [f.message for f in run_audit(manifest).rules[0].findings]
    assert "property 'rai:dataBiases' is missing" not in messages  # named by its full IRI
    assert f"property '{RAI}dataBiases' is missing" in messages
    write("audit.yaml", "name: t\ndatasets:\n  d: {path: data.csv}\npolicies: [policy.yaml]\n")
    result = run_audit(manifest).rules[0]
    assert [f.message for f in result.findings] == [
        "no Croissant file for dataset 'd' is declared in the manifest"
    ]


def test_a_croissant_file_that_is_not_json_is_refused(write):
    manifest = _croissant_audit(write, '{\n  "@context": {"rai": "x"},\n  "name": oops\n}', RULE)
    audit_refused(manifest, "data.croissant.json:3:11", "not valid JSON")


def test_a_croissant_file_without_the_rai_context_is_refused(write):
    text = json.dumps({"name": "d", "@context": {"sc": "https://schema.org/"}}, indent=2)
    manifest = _croissant_audit(write, text, RULE)
    output = audit_refused(manifest, "data.croissant.json:3 (@context)", "RAI vocabulary")
    assert "rule 'RAI-1'" in output


def test_an_unknown_rai_property_is_a_policy_error_with_a_suggestion(write):
    manifest = _croissant_audit(
        write,
        json.dumps({"@context": CONTEXT}),
        "document: croissant\nrequired_properties: [rai:dataBias]\n",
    )
    with pytest.raises(InputError) as raised:
        run_audit(manifest)
    assert "'rai:dataBias' is not a Croissant RAI property" in str(raised.value)
    assert "did you mean 'rai:dataBiases'" in str(raised.value)
    assert "policy.yaml:" in str(raised.value)


CARD = """\
---
{front}
---
# Card

## Intended use
Ranking applications for a recruiter to read.
"""
CARD_RULE = (
    "policy: docs\nrules:\n  - id: DOC-1\n    title: t\n    severity: high\n"
    "    documentation: {document: model_card, required_fields: [license]}\n"
)


def _card_audit(write, front: str):
    write("card.md", CARD.format(front=front))
    write("policy.yaml", CARD_RULE)
    return write("audit.yaml", "name: t\nmodel: {card: card.md}\npolicies: [policy.yaml]\n")


@pytest.mark.parametrize(
    "front",
    [
        "license: apache-2.0",
        "license: Apache-2.0\ndatasets: [acme/applicants]\nbase_model: acme/base",
        "license: other\nlicense_name: acme-eula-1.0\nbase_model: [a/one, a/two]",
    ],
)
def test_front_matter_that_follows_the_hugging_face_spec_passes(write, front):
    assert run_audit(_card_audit(write, front)).rules[0].outcome is Outcome.PASSED


def test_a_licence_that_is_no_spdx_id_fails_the_rule_that_requires_it(write):
    result = run_audit(_card_audit(write, "datasets: [a/b]\nlicense: acme-eula")).rules[0]
    assert result.outcome is Outcome.FAILED
    [finding] = result.findings
    assert "'acme-eula', which is not an SPDX licence id" in finding.message
    assert finding.location.line == 3


@pytest.mark.parametrize(
    ("front", "where", "problem"),
    [
        ("license: other", "card.md:1 (license_name)", "'license_name' must be a non-empty"),
        ("datasets: acme/applicants", "card.md:2:1 (datasets)", "'datasets' must be a list"),
        ("base_model: {a: 1}", "card.md:2:1 (base_model)", "a model id or a list"),
        (
            "model-index:\n  - name: m\n    results:\n      - task: {type: t}\n"
            "        metrics: {type: accuracy}",
            "card.md:6:9 (model-index.0.results.0.metrics)",
            "'metrics' in the model card's model-index must be a list",
        ),
        (
            "model-index:\n  - name: m\n    results:\n      - metrics: []",
            "(model-index.0.results.0.task)",
            "must be a mapping of keys",
        ),
        (
            "model-index:\n  - name: m\n    results:\n      - task: {type: t}\n"
            "        metrics:\n          - {type: accuracy}",
            "(model-index.0.results.0.metrics.0.value)",
            "needs a 'value'",
        ),
    ],
)
def test_malformed_front_matter_is_refused_at_its_line_and_key(write, front, where, problem):
    output = audit_refused(_card_audit(write, front), where, problem)
    assert output.count("error:") == 1


def test_a_croissant_file_nested_too_deeply_is_refused_not_errored(write):
    manifest = _croissant_audit(write, "[" * 5000 + "]" * 5000, RULE)
    audit_refused(manifest, "data.croissant.json", "nests arrays or objects too deeply")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1" * 5000, "holds a number too long to be read"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
)
def test_a_croissant_number_json_cannot_hold_is_refused_not_errored(write, value, problem):
    text = json.dumps({"@context": CONTEXT, "rai:dataBiases": "x"}).replace('"x"', value)
    audit_refused(_croissant_audit(write, text, RULE), "data.croissant.json", problem)


def test_a_croissant_key_written_twice_is_refused_naming_the_key(write):
    """Readers disagree on which copy wins: a reviewer could read the first, the audit the last."""
    text = '{"@context": %s, "rai:dataBiases": "None.", "rai:dataBiases": "x\\u001b[2J"}'
    manifest = _croissant_audit(write, text % json.dumps(CONTEXT), RULE)
    output = audit_refused(manifest, "data.croissant.json (rai:dataBiases)", "repeats the key")
    assert "\x1b" not in output


def test_a_croissant_file_with_many_keys_is_read_in_time_linear_in_its_size(tmp_path):
    """Each key's line is found in one pass: a search per key took minutes on 100,000 keys."""
    document = {"@context": CONTEXT, **{f"k{i}": 1 for i in range(100_000)}}
    document["rai:dataBiases"] = "Stated."
    path = tmp_path / "many.croissant.json"
    path.write_text(json.dumps(document, indent=0), encoding="utf-8")
    started = time.monotonic()
    read = read_croissant(path)
    assert time.monotonic() - started < 30
    assert read.rai("rai:dataBiases").line == 5 + 100_000 + 2  # after the context and k0..k99999


def test_a_croissant_value_of_escaped_quotes_is_read_in_time_linear_in_its_size(tmp_path):
    """A key search started at each quote of `\"\"\"...` and read to the end of the value:
    50,000 of them took about 50 s, a 10 MB file days."""
    document = {"@context": CONTEXT, "description": '"' * 50_000, "rai:dataBiases": "Stated."}
    path = tmp_path / "quotes.croissant.json"
    path.write_text(json.dumps(document, indent=0), encoding="utf-8")
    started = time.monotonic()
    read = read_croissant(path)
    assert time.monotonic() - started < 10
    assert read.rai("rai:dataBiases").line == len(CONTEXT) + 5
