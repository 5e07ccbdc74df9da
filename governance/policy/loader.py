"""Resolving policy references (`builtin:NAME` or a path) and `extends:` into one rule set."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from governance.catalogs.items import Catalog
from governance.catalogs.loading import builtin_catalog, load_catalog, unknown_control
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
    catalog: Catalog = field(default_factory=builtin_catalog)
    """The built-in catalogs and those the policies declare: every control a rule cites is
    one of its items."""
    covered_by_report: tuple[str, ...] = ()
    """Catalog items the signed audit report answers (see `PolicyFile.covered_by_report`)."""


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
    catalog = load_catalog(builder.catalog_files)
    if with_rules:
        _check_controls(catalog, builder.citations())
    return PolicySet(
        tuple(builder.rules.values()),
        builder.origins,
        tuple(builder.sources),
        catalog,
        tuple(dict.fromkeys(control for control, _ in builder.by_report)),
    )


def _check_controls(catalog: Catalog, citations: list[tuple[str, SourceLocation]]) -> None:
    """Every control cited (in a rule's `controls` or in `covered_by_report`) is a catalog
    item: a typo would otherwise leave an item uncovered without anyone noticing."""
    for control, where in citations:
        problem = unknown_control(catalog, control)
        if problem is not None:
            raise InputError(
                problem,
                location=where,
                hint="see `governance policies coverage --framework NAME` for a framework's "
                "items, or declare your own catalog in the policy's 'catalogs'",
            )


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
    catalog_files: list[Path] = field(default_factory=list)
    controls: dict[str, tuple[SourceLocation, ...]] = field(default_factory=dict)
    """Where each rule's controls are written, by rule id (an override's replace the earlier)."""
    by_report: list[tuple[str, SourceLocation]] = field(default_factory=list)

    def citations(self) -> list[tuple[str, SourceLocation]]:
        """Every control cited, with where: the rules' in rule order, then `covered_by_report`."""
        cited = [
            (control, where)
            for rule in self.rules.values()
            for control, where in zip(rule.controls, self.controls[rule.id], strict=True)
        ]
        return [*cited, *self.by_report]

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
        for index, catalog in enumerate(policy.catalogs):
            self.catalog_files.append(
                self._catalog_path(catalog, path, builtin, document.locate(("catalogs", index)))
            )
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
        self.by_report += [
            (control, document.locate(("covered_by_report", index)))
            for index, control in enumerate(policy.covered_by_report)
        ]
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
            self.controls[rule.id] = tuple(
                document.locate(("rules", index, "controls", position))
                for position in range(len(rule.controls))
            )

    def _catalog_path(
        self, written: str, policy: Path, builtin: bool, where: SourceLocation
    ) -> Path:
        """The real path of a catalog a policy declares, confined like the policy's `extends`
        (a built-in pack's catalogs are part of the tool)."""
        if builtin:
            return (policy.parent / written).resolve()
        try:
            return self.scope.confine(written, policy.parent)
        except PathRefused as refused:
            raise InputError(
                f"catalog {refused.reason}", location=where, hint=refused.hint
            ) from None

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
