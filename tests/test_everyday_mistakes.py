"""A new user's everyday mistakes, each refused with one message that says where and what to
do: exit 2, no traceback, no report written, no value of the data quoted."""

from __future__ import annotations

import pytest

from tests.conftest import Writer, audit_refused

APPLICANTS = """\
applicant_email,sex,race,hired,predicted
ann@example.com,F,Asian,1,1
bob@example.com,M,White,0,1
cy@example.com,F,White,1,0
dee@example.com,M,Asian,0,0
"""

FAIRNESS_POLICY = """\
policy: mine
rules:
  - id: FAIR-1
    title: Selection rates within four-fifths
    severity: high
    fairness: {metric: selection_rate, compare: ratio_to_max, min: 0.8}
"""


def _manifest(write: Writer, dataset: str) -> object:
    write("data/applicants.csv", APPLICANTS)
    write("policy.yaml", FAIRNESS_POLICY)
    return write(
        "audit.yaml",
        "name: mine\ndatasets:\n  applicants:\n" + dataset + "policies: [policy.yaml]\n",
    )


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        (  # a key indented one space less than its neighbours
            "    path: data/applicants.csv\n   prediction: predicted\n",
            (
                "audit.yaml:5:4: audit manifest is not valid YAML: this line is indented to a "
                "depth no line above it has",
                "hint: indent the keys of one mapping",
            ),
        ),
        (
            "    path: data/applicants.csv\n\tprediction: predicted\n",
            ("audit.yaml:5:1:", "a tab character: YAML indents with spaces only"),
        ),
        (
            "    path: 'data/applicants.csv\n    prediction: predicted\n",
            ("not valid YAML: a quote is opened and never closed",),
        ),
    ],
    ids=["indentation", "tab", "unclosed-quote"],
)
def test_a_yaml_mistake_is_named_in_plain_words(write, dataset, expected):
    output = audit_refused(_manifest(write, dataset), *expected)
    assert "<block" not in output  # the parser's own token names
