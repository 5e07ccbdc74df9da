"""The check registry: one entry per kind, from which the rule's spec union and the result's
evidence union are derived."""

from __future__ import annotations

import typing

import pytest
from pydantic import TypeAdapter, ValidationError

from governance.checks.registry import CHECK_KINDS, CHECKS, AnyCheckEvidence, AnyCheckSpec
from governance.policy.model import Rule


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_a_kind_is_named_alike_in_yaml_in_its_spec_and_in_its_evidence(name):
    kind = CHECKS[name]
    assert kind.spec.model_fields["kind"].default == name
    assert kind.evidence.model_fields["kind"].default == name


def _members(union: object) -> tuple[type, ...]:
    members, _discriminator = typing.get_args(union)
    return typing.get_args(members)


def test_the_unions_hold_every_registered_kind_in_registry_order():
    assert _members(AnyCheckSpec) == tuple(kind.spec for kind in CHECKS.values())
    assert _members(AnyCheckEvidence) == tuple(kind.evidence for kind in CHECKS.values())
    assert frozenset(CHECKS) == CHECK_KINDS


def test_a_rule_block_of_another_kind_is_refused_naming_every_kind():
    with pytest.raises(ValidationError) as caught:
        Rule.model_validate({"id": "X-1", "title": "t", "severity": "low", "robustness": {}})
    message = str(caught.value)
    assert "unknown key 'robustness'" in message
    kinds = ", ".join(sorted(CHECK_KINDS))
    assert f"a rule needs exactly one check block ({kinds})" in message


def test_evidence_is_parsed_back_into_its_kinds_model():
    adapter = TypeAdapter(AnyCheckEvidence)
    evidence = CHECKS["documentation"].evidence.model_validate({"documents": []})
    assert adapter.validate_json(adapter.dump_json(evidence)) == evidence


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_kind_loads_its_check_when_first_used(name):
    check = CHECKS[name].check
    assert callable(check.run)
    assert CHECKS[name].check is check  # built once
