"""`governance explain RULE-ID`: one rule, its controls, its parameters and what makes it fail.

A rule id means something within the policies of an audit, so the rule is looked up where the
user's audit takes it from: the manifest (`audit.yaml` here, or `--manifest`), with everything
its policies extend; `--policy` looks in one policy instead (a file or `builtin:NAME`), for a
policy author who has no manifest yet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.cli.policies_command import AllowPaths, load_named_policy
from governance.config.suggestions import did_you_mean
from governance.errors import UsageError

if TYPE_CHECKING:  # the policy model (every check kind's spec) loads when a rule is explained
    from governance.policy.loader import PolicySet


@reports_errors
def explain_command(
    rule_id: Annotated[str, typer.Argument(help="The rule's id, as reports and policies show it.")],
    manifest: Annotated[
        Path, typer.Option("--manifest", "-m", help="The audit whose policies hold the rule.")
    ] = Path("audit.yaml"),
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", "-p", help="Look in this policy (a file or builtin:NAME) instead."
        ),
    ] = None,
    allow_paths: AllowPaths = None,
) -> None:
    """Explain one rule: its controls, parameters and what fails it.

    Every parameter of its check is shown with the value in force and its meaning."""
    from governance.reference.rule_explanation import explain_rule

    policy_set, where = _rules(manifest, policy, allow_paths)
    rule = next((rule for rule in policy_set.rules if rule.id == rule_id), None)
    if rule is None:
        suggestion = did_you_mean(rule_id, [rule.id for rule in policy_set.rules])
        raise UsageError(
            f"no rule '{rule_id}' in {where}{suggestion}",
            hint=f"`governance policies show {policy}` lists them"
            if policy
            else "`governance policies show POLICY` lists a policy's rules",
        )
    print(explain_rule(rule, policy_set.origins[rule.id]))


def _rules(
    manifest: Path, policy: str | None, allow_paths: list[Path] | None
) -> tuple[PolicySet, str]:
    if policy is not None:
        return load_named_policy(policy, allow_paths), f"policy {policy}"
    if not manifest.exists():
        raise UsageError(
            f"no manifest {manifest} to look in",
            hint="name one with --manifest, or a policy with --policy (e.g. builtin:nyc-ll144)",
        )
    from governance.engine.audit_definition import load_policies
    from governance.manifest import load_manifest

    loaded = load_manifest(manifest, allowed=allow_paths or ())
    return load_policies(loaded), f"the policies of {manifest}"
