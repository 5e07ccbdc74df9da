"""Policies: composition with extends/override, and every malformed policy is a located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.config.confinement import InputScope
from governance.errors import InputError
from governance.policy.loader import builtin_pack_names, load_policy_set
from governance.severity import Severity

RULE = """\
  - id: {id}
    title: A rule
    severity: {severity}
    documentation: {{document: model_card, required_sections: [Intended use]}}
"""


def _policy(name: str, *rule_ids: str, extends: str = "", severity: str = "high") -> str:
    text = f"policy: {name}\n"
    if extends:
        text += f"extends: [{extends}]\n"
    text += "rules:\n" + "".join(RULE.format(id=i, severity=severity) for i in rule_ids)
    return text


def _load(path: Path, *references: str):
    return load_policy_set(references or (path.name,), path.parent, scope=InputScope.around(path))


def _error(path: Path, *references: str) -> InputError:
    with pytest.raises(InputError) as caught:
        _load(path, *references)
    return caught.value


def test_builtin_baseline_loads_with_annex_iv_controls_where_annex_iv_asks():
    assert "baseline" in builtin_pack_names()
    policy_set = load_policy_set(("builtin:baseline",), Path.cwd(), scope=InputScope(Path.cwd()))
    assert len(policy_set.rules) >= 14
    uncited = {rule.id for rule in policy_set.rules if not rule.controls}
    # The card's license, and a datasheet's uses, distribution and maintenance: good practice
    # that no Annex IV point asks for (a license is not 1(d)'s forms of distribution).
    assert uncited == {"DOC-MC-007", "DOC-DS-005", "DOC-DS-006", "DOC-DS-007"}
    for rule in policy_set.rules:
        if rule.controls:
            assert any(c.startswith("eu-ai-act:annex-iv") for c in rule.controls), rule.id
        assert rule.remediation


def test_extends_builtin_and_files_in_order(write):
    write("base.yaml", _policy("base", "B-1", "B-2", extends="builtin:baseline"))
    path = write("team.yaml", _policy("team", "T-1", extends="base.yaml"))
    policy_set = _load(path)
    ids = [rule.id for rule in policy_set.rules]
    assert ids[-3:] == ["B-1", "B-2", "T-1"]
    assert ids[0].startswith("DOC-")
    assert [s.name for s in policy_set.sources] == ["baseline", "base", "team"]
    assert policy_set.origins["T-1"].line == 4


def test_the_same_file_reached_twice_is_loaded_once(write):
    write("shared.yaml", _policy("shared", "S-1"))
    write("a.yaml", _policy("a", "A-1", extends="shared.yaml"))
    write("b.yaml", _policy("b", "B-1", extends="shared.yaml"))
    path = write("top.yaml", "policy: top\nextends: [a.yaml, b.yaml]\n")
    assert [r.id for r in _load(path).rules] == ["S-1", "A-1", "B-1"]


def test_duplicate_rule_id_is_an_error_naming_both_places(write):
    write("base.yaml", _policy("base", "R-1"))
    path = write("team.yaml", _policy("team", "R-1", extends="base.yaml"))
    error = _error(path)
    assert "duplicate rule id 'R-1'" in error.message
    assert "base.yaml line 3" in error.message
    assert error.location is not None and error.location.line == 4
    assert "override: true" in error.hint


def test_override_replaces_the_earlier_rule_in_place(write):
    write("base.yaml", _policy("base", "R-1", "R-2"))
    path = write(
        "team.yaml",
        _policy("team", "R-1", extends="base.yaml", severity="low").replace(
            "    severity: low\n", "    severity: low\n    override: true\n"
        ),
    )
    policy_set = _load(path)
    assert [r.id for r in policy_set.rules] == ["R-1", "R-2"]
    assert policy_set.rules[0].severity is Severity.LOW
    assert policy_set.origins["R-1"].policy == "team"


def test_override_of_nothing_is_an_error(write):
    path = write(
        "p.yaml", _policy("p", "R-1").replace("    severity", "    override: true\n    severity")
    )
    assert "no earlier rule" in _error(path).message


def test_extends_cycle(write):
    write("a.yaml", _policy("a", "A-1", extends="b.yaml"))
    path = write("b.yaml", _policy("b", "B-1", extends="a.yaml"))
    error = _error(path)
    assert "cycle" in error.message
    assert "a.yaml -> b.yaml" in error.message


def test_unknown_builtin_pack(write):
    path = write("p.yaml", _policy("p", "R-1", extends="builtin:nope"))
    error = _error(path)
    assert "unknown built-in policy pack 'nope'" in error.message
    assert "baseline" in error.message
    assert error.location is not None and error.location.line == 2


def test_missing_extended_file(write):
    path = write("p.yaml", _policy("p", "R-1", extends="gone.yaml"))
    assert "gone.yaml not found" in _error(path).message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n    colour: red\n"
            "    documentation: {document: model_card, required_fields: [license]}\n",
            6,
            "unknown key 'colour'",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n"
            "    toxicity: {max: 0.1}\n",
            6,
            "unknown key 'toxicity'; a rule needs exactly one check block",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: urgent\n"
            "    documentation: {document: model_card, required_fields: [license]}\n",
            5,
            "invalid value for 'severity'",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n"
            "    documentation: {document: model_card, required_fields: license}\n",
            6,
            "required_fields",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n"
            "    documentation: {document: model_card, min_words: many, required_fields: [x]}\n",
            6,
            "'min_words' must be a whole number",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    severity: high\n"
            "    documentation: {document: model_card, required_fields: [x]}\n",
            3,
            "missing required key 'title'",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n",
            3,
            "exactly one check block",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n"
            "    documentation: {document: model_card}\n",
            6,
            "needs required_sections",
        ),
        (
            "policy: p\nrules:\n  - id: R\n    title: t\n    severity: high\n"
            "    documentation: {document: readme, required_fields: [x]}\n",
            6,
            "document",
        ),
        ("policy: p\nrulez: []\n", 2, "unknown key 'rulez'"),
        ("policy: p\nrules: []\n", 2, "defines no rules"),
        ("- just\n- a list\n", 1, "must be a mapping"),
    ],
)
def test_malformed_policies_are_located(write, text, line, message):
    error = _error(write("p.yaml", text))
    assert message in error.message
    assert error.location is not None
    assert Path(error.location.file).name == "p.yaml"
    assert error.location.line == line


def test_a_policy_set_without_rules_is_an_error(write):
    write("empty.yaml", "policy: empty\nextends: [nothing.yaml]\n")
    write("nothing.yaml", "policy: nothing\nextends: [empty.yaml]\n")
    path = write("top.yaml", "policy: top\nextends: []\nrules: []\n")
    assert "defines no rules" in _error(path).message


def test_policy_files_resolve_without_reading_rules(write):
    write("base.yaml", _policy("base", "B-1", extends="builtin:baseline"))
    path = write("team.yaml", "policy: team\nextends: [base.yaml]\nrules:\n  - id: broken\n")
    policy_set = load_policy_set(
        (path.name,), path.parent, scope=InputScope.around(path), with_rules=False
    )
    assert [s.name for s in policy_set.sources] == ["baseline", "base", "team"]
    assert policy_set.rules == ()
