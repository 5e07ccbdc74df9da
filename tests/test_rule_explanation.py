"""`governance policies show` prints each rule's parameters; `governance explain RULE-ID`
prints one rule with its controls, its parameters and what makes it fail."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from governance.checks.interface import CheckSpec
from governance.checks.registry import CHECKS
from governance.cli.app import app

runner = CliRunner()

POLICY = """\
policy: acme
version: "1"
rules:
  - id: FAIR-1
    title: Impact ratio at least 0.8
    severity: high
    controls: ["eeoc:1607.4(D)"]
    remediation: Review the screen.
    fairness:
      metric: selection_rate
      sensitive_features: [sex]
      min: 0.8
  - id: LL-1
    title: "Selection rates by sex\\x1b[2J"
    severity: info
    fairness: {metric: selection_rate, sensitive_features: sex}
  - id: DOC-1
    title: Card states the intended use
    severity: medium
    documentation:
      document: model_card
      required_sections: [{name: Intended use, min_words: 40}]
      required_fields: [license]
  - id: PII-1
    title: No e-mail addresses
    severity: critical
    pii: {entities: [EMAIL_ADDRESS], columns: "notes*", tolerance: 0.01}
"""


@pytest.fixture
def policy(write):
    return write("acme.yaml", POLICY)


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_check_kind_says_what_makes_its_rules_fail(kind):
    spec = CHECKS[kind].spec
    assert "failure_conditions" in vars(spec), (
        f"{spec.__name__} needs failure_conditions() ({CheckSpec.__name__} contract), which "
        "`governance explain` prints"
    )


def test_policies_show_prints_each_rules_parameters(policy):
    shown = _ok("policies", "show", str(policy))
    for line in (
        "fairness:",
        "  metrics: selection_rate",
        "  sensitive_features: sex",
        "  min: 0.8",
        "documentation:",
        "  document: model_card",
        "  required_fields: license",
        "  entities: EMAIL_ADDRESS",
        "  tolerance: 0.01",
        "- eeoc:1607.4(D)",
    ):
        assert line in shown, line
    assert "\x1b" not in shown and "\\x1b[2J" in shown


def test_explain_prints_a_gating_rule_with_its_controls_and_what_fails_it(policy):
    assert _ok("explain", "FAIR-1", "--policy", str(policy)) == (
        f"""\
FAIR-1: Impact ratio at least 0.8

  severity    high
  check       fairness
  defined in  policy 'acme' ({policy}, line 4)
  remediation Review the screen.

Controls
  eeoc:1607.4(D)  (EEOC Uniform Guidelines (29 CFR 1607), 1607.4(D))

Parameters of the fairness check (docs/reference.md explains every key)
  metrics: selection_rate
      The rates to compare (`selection_rate`, `true_positive_rate`, ...), or fairlearn's \
disparities (`demographic_parity`, `equal_opportunity`, `equalized_odds`), which need \
`compare: difference` or `ratio`. `metric: selection_rate` names one.
  sensitive_features: sex
      Defaults to the dataset's `sensitive_features` in the manifest. Each is read from the \
column the dataset's mapping gives it (`sensitive_features: {{sex: gender}}`), else from the \
column of that name.
  min: 0.8
      Fail when a compared value (an impact ratio, a disparity) is below this.
  dataset: none  (default)
  compare: ratio_to_max  (default)
  measure: ratio  (default)
  reference: none  (default)
  aggregate: worst_case  (default)
  per_feature: true  (default)
  intersectional: false  (default)
  max: none  (default)
  min_group_size: none  (default)
  min_share: 0.0  (default)
  require_significance: false  (default)
  significance_level: 0.05  (default)
  confidence: 0.95  (default)
  positive_label: none  (default)
  use: none  (default)
  threshold: none  (default)
  unknown_values: Unknown  (default)
  missing_outcomes: error  (default)
  max_groups: 100  (default)

Fails when
  - a group's selection_rate over the highest group's is below 0.8, comparing the groups of \
each of sex on its own
  - (groups with fewer than 30 rows are excluded and disclosed, not failed)
  - it cannot run (a file or column it needs is missing): it is then errored, which fails \
the gate too
"""
    )


def test_explain_says_a_rule_without_threshold_never_fails(policy):
    explained = _ok("explain", "LL-1", "--policy", str(policy))
    assert explained.startswith("LL-1: Selection rates by sex\\x1b[2J\n")
    assert "  - never: without `min` or `max` the rule reports its figures and cannot fail\n" in (
        explained
    )
    assert "Controls\n  none\n" in explained


def test_explain_names_what_fails_documentation_and_pii_rules(policy):
    documentation = _ok("explain", "DOC-1", "--policy", str(policy))
    assert (
        "  - the model card has no section 'Intended use', or it is empty, holds only a "
        "placeholder or has fewer than 40 words of content\n"
        "  - the model card's front matter lacks 'license'\n"
    ) in documentation
    pii = _ok("explain", "PII-1", "--policy", str(policy))
    assert (
        "  - a column matching notes* of any dataset holds EMAIL_ADDRESS (presidio score >= "
        "0.4) in more than 1.0% of its distinct values, unless the manifest declares that "
        "entity for the column (every row matched against a pattern per entity, up to 1,000 "
        "distinct candidates verified per column)\n"
        "  - a pattern of `columns` matches no column\n"
    ) in pii


def test_explain_looks_in_the_manifests_policies_by_default(example, monkeypatch):
    monkeypatch.chdir(example.parent)
    explained = _ok("explain", "ACME-HR-001")
    assert "defined in  policy 'acme-hiring' (hiring-policy.yaml, line 14)" in explained
    assert "  eu-ai-act:annex-iv(2)(e)  (EU AI Act, Annex IV (2)(e))\n" in explained
    from_pack = _ok("explain", "GDPR-PII-002", "--manifest", str(example))
    assert "(builtin:gdpr-pii, line" in from_pack


def test_explain_an_unknown_rule_suggests_the_closest_id(example, tmp_path, monkeypatch):
    result = runner.invoke(app, ["explain", "ACME-HR-01", "--manifest", str(example)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no rule 'ACME-HR-01' in the policies of {example} (did you mean "
        "'ACME-HR-001'?)\n  hint: `governance policies show POLICY` lists a policy's rules\n"
    )
    monkeypatch.chdir(tmp_path)
    nowhere = runner.invoke(app, ["explain", "ACME-HR-001"])
    assert nowhere.exit_code == 2
    assert nowhere.stderr.startswith("error: no manifest audit.yaml to look in\n  hint: name")
