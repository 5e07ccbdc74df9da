"""Resolving policy references (`builtin:NAME` or a path) and `extends:` into one rule set."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from governance.config.confinement import InputScope, PathRefused
from governance.config.suggestions import did_you_mean
from governance.config.validation import parse_model
from governance.config.yaml_document import load_yaml_document
from governance.errors import InputError, SourceLocation
from governance.policy.model import PolicyFile, PolicyHeader, Rule
from governance.resources import resource_dir

BUILTIN_PREFIX = "builtin:"


@dataclass(frozen=True)
class RuleOrigin:
    """Which policy file defined a rule, and where."""

    policy: str
    path: Path
    reference: str
    line: int


@dataclass(frozen=True)
class PolicySource:
    """One policy file that contributed to the rule set."""

    name: str
    version: str
    reference: str
    """`builtin:NAME` for a shipped pack, else the file's path."""
    path: Path
    builtin: bool


@dataclass(frozen=True)
class PolicySet:
    rules: tuple[Rule, ...]
    origins: dict[str, RuleOrigin]
    sources: tuple[PolicySource, ...]


def builtin_pack_names() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in resource_dir("policies").glob("*.yaml")))


def resolve_reference(reference: str, relative_to: Path) -> tuple[Path, bool]:
    """The file a policy reference names, and whether it is a built-in pack."""
    if reference.startswith(BUILTIN_PREFIX):
        name = reference.removeprefix(BUILTIN_PREFIX)
        if name not in builtin_pack_names():
            known = ", ".join(builtin_pack_names())
            raise InputError(
                f"unknown built-in policy pack '{name}'{_builtin_meant(name)} (available: {known})"
            )
        return resource_dir("policies") / f"{name}.yaml", True
    path = Path(reference).expanduser()
    return (path if path.is_absolute() else relative_to / path), False


def load_policy_set(
    references: tuple[str, ...],
    relative_to: Path,
    referrers: tuple[SourceLocation, ...] = (),
    *,
    scope: InputScope,
    with_rules: bool = True,
) -> PolicySet:
    """Load every referenced policy with its `extends:`; a rule set with no rules is an error.

    Every policy file but the built-in packs, the ones `extends:` reaches included, must be in
    `scope` (the manifest's folder and the allowed folders). `referrers` gives, per reference,
    where it was written (for error messages). Without
    `with_rules`, only the policy files are resolved (names, versions, paths) and the rules are
    neither validated nor returned: what re-hashing the inputs of an earlier audit needs, without
    the cost of loading every check kind's validation (presidio's entity list).
    """
    builder = _Builder(scope, with_rules=with_rules)
    for index, reference in enumerate(references):
        where = referrers[index] if index < len(referrers) else SourceLocation(reference)
        builder.load(reference, relative_to, chain=(), referrer=where)
    if with_rules and not builder.rules:
        raise InputError(
            "the policies define no rules; an empty policy cannot pass an audit",
            location=SourceLocation(", ".join(references)),
        )
    return PolicySet(tuple(builder.rules.values()), builder.origins, tuple(builder.sources))


def _builtin_meant(reference: str) -> str:
    """` (did you mean 'builtin:NAME'?)` when a file that cannot be read is named like a
    built-in pack: `baseline` or `baseline.yaml` for `builtin:baseline`."""
    name = Path(reference).name.removesuffix(".yaml").removesuffix(".yml")
    suggestion = did_you_mean(name, builtin_pack_names())
    if name in builtin_pack_names():
        suggestion = f" (did you mean '{name}'?)"
    return suggestion.replace(" (did you mean '", f" (did you mean '{BUILTIN_PREFIX}")


@dataclass
class _Builder:
    scope: InputScope
    with_rules: bool = True
    rules: dict[str, Rule] = field(default_factory=dict)
    origins: dict[str, RuleOrigin] = field(default_factory=dict)
    sources: list[PolicySource] = field(default_factory=list)
    loaded: set[Path] = field(default_factory=set)

    def load(
        self, reference: str, relative_to: Path, chain: tuple[Path, ...], referrer: SourceLocation
    ) -> None:
        try:
            path, builtin = resolve_reference(reference, relative_to)
            if not builtin:
                path = self.scope.confine(reference, relative_to)
        except InputError as error:
            raise InputError(error.message, location=referrer) from None
        except PathRefused as refused:
            raise InputError(
                f"policy {refused.reason}{_builtin_meant(reference)}",
                location=referrer,
                hint=refused.hint,
            ) from None
        key = path.resolve()
        if key in chain:
            cycle = " -> ".join(p.name for p in (*chain, key))
            raise InputError(f"'extends' forms a cycle: {cycle}", location=referrer)
        if key in self.loaded:
            return  # reached twice through different `extends:` paths: rules already in
        document = load_yaml_document(path, "policy")
        if not isinstance(document.data, dict):
            raise document.error("a policy must be a mapping with 'policy' and 'rules'")
        policy: PolicyFile | PolicyHeader = (
            parse_model(PolicyFile, document)
            if self.with_rules
            else parse_model(PolicyHeader, document)
        )
        for index, parent in enumerate(policy.extends):
            self.load(parent, path.parent, (*chain, key), document.locate(("extends", index)))
        self.loaded.add(key)
        self.sources.append(
            PolicySource(
                policy.policy, policy.version, reference if builtin else str(path), path, builtin
            )
        )
        if not isinstance(policy, PolicyFile):
            return
        if not policy.rules and not policy.extends:
            raise document.error("the policy defines no rules and extends nothing", ("rules",))
        for index, rule in enumerate(policy.rules):
            if (problem := rule.severity_problem()) is not None:
                raise document.error(
                    problem,
                    ("rules", index, "severity"),
                    hint="give the rule 'severity: info', or a threshold ('min' or 'max') "
                    "that makes it fail",
                )
            origin = RuleOrigin(
                policy.policy, path, reference, document.locate(("rules", index)).line or 1
            )
            self._add(rule, origin, document.locate(("rules", index, "id")))

    def _add(self, rule: Rule, origin: RuleOrigin, where: SourceLocation) -> None:
        earlier = self.origins.get(rule.id)
        if earlier is not None and not rule.override:
            raise InputError(
                f"duplicate rule id '{rule.id}' (first defined in {earlier.path.name} line "
                f"{earlier.line})",
                location=where,
                hint="rename the rule, or add 'override: true' to replace the earlier one",
            )
        if earlier is None and rule.override:
            raise InputError(
                f"rule '{rule.id}' says 'override: true' but no earlier rule has that id",
                location=where,
            )
        self.rules[rule.id] = rule
        self.origins[rule.id] = origin
