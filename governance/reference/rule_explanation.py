"""One rule explained for its reader (`governance explain`): who it is, where it comes from,
its controls, every parameter of its check with the value in force, and what makes it fail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from governance.policy.loader import RuleOrigin
from governance.policy.model import PolicyFile, Rule
from governance.render.control_names import clause_name, regulation_name
from governance.text_escaping import escape_controls
from governance.vocabulary.documented_fields import documented_schema


@dataclass(frozen=True)
class Parameter:
    """One setting of a rule's check block."""

    key: str
    value: str
    """The value in force, as text on one line."""
    written: bool
    """Whether the policy sets it (else it is the default)."""
    meaning: str


def parameters(rule: Rule) -> tuple[Parameter, ...]:
    """Every setting of the rule's check block, those the policy writes first."""
    spec = rule.check
    if not isinstance(spec, BaseModel):  # every kind's spec is one; mypy sees the Protocol
        return ()
    meanings = _meanings(type(spec).__name__)
    values = spec.model_dump(mode="json", exclude={"kind"})
    written = spec.model_fields_set
    found = [
        Parameter(key, _value_text(value), key in written, meanings.get(key, ""))
        for key, value in values.items()
    ]
    return tuple(sorted(found, key=lambda parameter: not parameter.written))


def explain_rule(rule: Rule, origin: RuleOrigin) -> str:
    """The explanation of `rule`, as plain text lines (every text from the policy escaped)."""
    shown = escape_controls
    lines = [
        f"{shown(rule.id)}: {shown(rule.title)}",
        "",
        f"  severity    {rule.severity.value}",
        f"  check       {rule.kind}",
        f"  defined in  policy '{shown(origin.policy)}' ({shown(origin.reference)}, line "
        f"{origin.line})",
    ]
    if rule.description:
        lines.append(f"  description {shown(' '.join(rule.description.split()))}")
    if rule.remediation:
        lines.append(f"  remediation {shown(' '.join(rule.remediation.split()))}")
    lines += ["", "Controls"]
    lines += [
        f"  {shown(control)}  ({shown(regulation_name(control))}, {shown(clause_name(control))})"
        for control in rule.controls
    ] or ["  none"]
    lines += ["", f"Parameters of the {rule.kind} check (docs/reference.md explains every key)"]
    for parameter in parameters(rule):
        origin_note = "" if parameter.written else "  (default)"
        lines.append(f"  {parameter.key}: {shown(parameter.value)}{origin_note}")
        if parameter.written and parameter.meaning:
            lines.append(f"      {parameter.meaning}")
    lines += ["", "Fails when"]
    lines += [f"  - {shown(condition)}" for condition in rule.check.failure_conditions()]
    lines.append(
        "  - it cannot run (a file or column it needs is missing): it is then errored, which "
        "fails the gate too"
    )
    return "\n".join(lines)


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value) or "(none)"
    if isinstance(value, dict) and "name" in value:  # a named item: its name, then the rest
        rest = {
            key: item for key, item in value.items() if key != "name" and item not in ((), [], None)
        }
        return f"{value['name']}" + (f" ({_value_text(rest)})" if rest else "")
    if isinstance(value, dict):
        return ", ".join(f"{key}={_value_text(item)}" for key, item in value.items())
    return "none" if value is None else json.dumps(value)


@cache
def _meanings(spec_name: str) -> dict[str, str]:
    """Each key's meaning, from the same schema the reference is rendered from."""
    definition = documented_schema(PolicyFile)["$defs"].get(spec_name, {})
    return {
        key: " ".join(str(field.get("description", "")).split())
        for key, field in definition.get("properties", {}).items()
    }
