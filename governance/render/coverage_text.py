"""Coverage per framework as plain text, one line per catalog item: what `governance policies
coverage` prints. `[x]` covered, `[ ]` not covered, `[~]` a parent item some of whose sub-items
are covered; each covered item names the rules citing it, with their outcomes once an audit
ran."""

from __future__ import annotations

from governance.engine.result import FrameworkCoverage, ItemCoverage
from governance.text_escaping import escape_controls

AID_NOT_ADVICE = (
    "Catalogs and packs are an aid to finding gaps, not legal advice: a covered item is one a "
    "rule tests, not one the system complies with."
)


def coverage_text(frameworks: tuple[FrameworkCoverage, ...]) -> str:
    blocks = [_framework_text(framework) for framework in frameworks]
    return "\n\n".join([*blocks, AID_NOT_ADVICE]) + "\n"


def _framework_text(framework: FrameworkCoverage) -> str:
    depth = {item.control: _depth(item, framework) for item in framework.items}
    lines = [escape_controls(framework.summary())]
    for item in framework.items:
        indent = "  " * (depth[item.control] + 1)
        item_id = item.control.partition(":")[2]
        lines.append(
            f"{indent}{_mark(item, framework)} {escape_controls(item_id)}  "
            f"{escape_controls(item.title)}{_served_by(item, framework)}"
        )
    return "\n".join(lines)


def _depth(item: ItemCoverage, framework: FrameworkCoverage) -> int:
    parents = {i.control: i.parent for i in framework.items}
    depth, parent = 0, item.parent
    while parent is not None:
        depth, parent = depth + 1, parents.get(parent)
    return depth


def _mark(item: ItemCoverage, framework: FrameworkCoverage) -> str:
    if item.covered:
        return "[x]"
    if not item.leaf and any(leaf.covered for leaf in _leaves_under(item, framework)):
        return "[~]"
    return "[ ]"


def _leaves_under(item: ItemCoverage, framework: FrameworkCoverage) -> list[ItemCoverage]:
    prefix = item.control + "("
    return [i for i in framework.items if i.leaf and i.control.startswith(prefix)]


def _served_by(item: ItemCoverage, framework: FrameworkCoverage) -> str:
    parts = [
        rule.rule if rule.outcome is None else f"{rule.rule} ({rule.outcome.value})"
        for rule in item.rules
    ]
    if item.by_report:
        parts.append("the signed audit report")
    if not item.leaf:
        leaves = _leaves_under(item, framework)
        count = f"{sum(leaf.covered for leaf in leaves)} of {len(leaves)} sub-items covered"
        return f"  ({count}{'; cited by ' + ', '.join(parts) if parts else ''})"
    return f"  <- {', '.join(parts)}" if parts else ""
