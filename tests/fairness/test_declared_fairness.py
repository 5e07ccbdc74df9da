"""Declared versus found for fairness: the group attributes the model card says its fairness
evaluation covers, against the sensitive features the audit's fairness rules measured."""

from __future__ import annotations

from governance.engine.result import Outcome
from governance.engine.run import run_audit

POLICY = """\
policy: p
rules:
  - id: DECL-1
    title: the card's fairness evaluation is the audited one
    severity: high
    declarations: {compare: [fairness_features]}
  - id: FAIR-1
    title: selection rates
    severity: high
    fairness: {dataset: d, metric: selection_rate, compare: ratio_to_max, min: 0.0,
               sensitive_features: [gender, age_group]}
"""


def _audit(write, card: str, policy: str = POLICY):
    rows = [
        f"{i},{'F' if i % 2 else 'M'},{'young' if i % 3 else 'old'},{i % 2},{(i // 2) % 2}"
        for i in range(120)
    ]
    write("data.csv", "id,gender,age_group,label,predicted\n" + "\n".join(rows) + "\n")
    write("card.md", card)
    write("policy.yaml", policy)
    manifest = write(
        "audit.yaml",
        "name: t\nmodel: {card: card.md}\n"
        "datasets:\n  d: {path: data.csv, label: label, prediction: predicted,\n"
        "      sensitive_features: [gender, age_group]}\n"
        "policies: [policy.yaml]\n",
    )
    return {rule.id: rule for rule in run_audit(manifest).rules}


CARD = """\
# Card

## Evaluation

Accuracy 0.8 on the held-out set.
Selection rates and impact ratios were compared per sex
and by disability status.
"""


def test_an_attribute_the_card_evaluates_but_the_audit_never_measured_fails(write):
    declared = _audit(write, CARD)["DECL-1"]
    assert declared.outcome is Outcome.FAILED
    [finding] = declared.findings
    assert finding.message == (
        "the model card's fairness evaluation names disability (line 6), which no fairness "
        "rule measured (measured: 'gender', 'age_group')"
    )
    assert (finding.location.path, finding.location.line) == ("card.md", 6)
    stated = {s.attribute: s.audited_by for s in declared.evidence.fairness.stated}
    assert stated == {"sex": ("gender",), "disability": ()}
    assert [note.text for note in declared.notes] == [
        "the fairness rules measured 'age_group', which card.md does not name in its fairness "
        "evaluation"
    ]


def test_a_card_naming_what_was_measured_passes(write):
    card = CARD.replace("by disability status", "by age group")
    declared = _audit(write, card)["DECL-1"]
    assert declared.outcome is Outcome.PASSED
    assert declared.notes == ()


def test_attributes_outside_sentences_about_fairness_do_not_count(write):
    card = "# Card\n\nApplicants state their disability status on the form.\n"
    declared = _audit(write, card)["DECL-1"]
    assert declared.outcome is Outcome.PASSED
    assert [note.text for note in declared.notes] == [
        "card.md has no sentence about its fairness evaluation that names a group attribute"
    ]


def test_without_a_fairness_rule_the_comparison_is_skipped(write):
    alone = POLICY[: POLICY.index("  - id: FAIR-1")]
    declared = _audit(write, CARD, policy=alone)["DECL-1"]
    assert declared.outcome is Outcome.SKIPPED
    assert declared.reason == (
        "fairness features not compared: no fairness rule of the audit measured the data to "
        "compare with"
    )
