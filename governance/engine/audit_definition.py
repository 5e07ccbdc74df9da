"""What an audit is asked to do: the manifest, the policies it names, the waivers, all
validated together before anything runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from governance.errors import InputError, SourceLocation
from governance.manifest import LoadedManifest, load_manifest
from governance.policy.loader import PolicySet, load_policy_set
from governance.waivers import Waiver, load_waivers


@dataclass(frozen=True)
class AuditDefinition:
    manifest: LoadedManifest
    policies: PolicySet
    waivers: tuple[Waiver, ...]


def load_audit_definition(
    manifest_path: Path,
    *,
    allowed: Iterable[Path] = (),
    in_memory: frozenset[str] = frozenset(),
) -> AuditDefinition:
    """Load and cross-check everything the manifest names; any mistake is an InputError.
    Files are read only from the manifest's folder and the `allowed` folders."""
    manifest = load_manifest(manifest_path, allowed=allowed, in_memory=in_memory)
    policies = load_policies(manifest)
    waivers = (
        load_waivers(manifest.manifest.waivers, frozenset(rule.id for rule in policies.rules))
        if manifest.manifest.waivers
        else ()
    )
    _check_references(policies, manifest)
    return AuditDefinition(manifest, policies, waivers)


def load_policies(manifest: LoadedManifest, *, with_rules: bool = True) -> PolicySet:
    referrers = tuple(
        manifest.document.locate(("policies", index))
        for index in range(len(manifest.manifest.policies))
    )
    return load_policy_set(
        manifest.manifest.policies,
        manifest.base_dir,
        referrers,
        scope=manifest.scope,
        with_rules=with_rules,
    )


def _check_references(policies: PolicySet, manifest: LoadedManifest) -> None:
    """Every dataset a rule names explicitly must be in the manifest."""
    for rule in policies.rules:
        for name in rule.check.referenced_datasets():
            if name not in manifest.manifest.datasets:
                origin = policies.origins[rule.id]
                known = ", ".join(manifest.manifest.datasets) or "none"
                raise InputError(
                    f"rule '{rule.id}' names dataset '{name}', which the manifest does not "
                    f"declare (datasets: {known})",
                    location=SourceLocation(
                        origin.path, line=origin.line, key=f"{rule.kind}.datasets"
                    ),
                )
