"""A policy rule and a policy file, as written in YAML."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from governance.checks.registry import CHECK_KINDS, AnyCheckSpec
from governance.config.suggestions import did_you_mean
from governance.config.validation import NAME_PATTERN, FrozenModel, Lax, error_at_key
from governance.severity import Severity

RULE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"


def _schema_as_written(schema: dict[str, Any]) -> None:
    """A rule's JSON Schema as the user writes it: the check block under its kind's key
    (`fairness: {...}`), exactly one of them, instead of the tagged `check` it is parsed into."""
    check = schema["properties"].pop("check")
    schema["required"].remove("check")
    kinds = check["discriminator"]["mapping"]
    for kind, reference in sorted(kinds.items()):
        schema["properties"][kind] = {"$ref": reference}
    schema["oneOf"] = [{"required": [kind]} for kind in sorted(kinds)]


class Rule(FrozenModel):
    """One rule: who it is, how grave its failure is, and exactly one check block."""

    model_config = ConfigDict(json_schema_extra=_schema_as_written)

    id: Annotated[str, Field(pattern=RULE_ID_PATTERN, max_length=64)]
    """Unique among the rules of an audit; waivers and reports name the rule by it."""
    title: Annotated[str, Field(min_length=1)]
    """One line saying what the rule requires."""
    severity: Annotated[Severity, Lax]
    """How grave a failure is; `--fail-on` gates on it."""
    controls: tuple[str, ...] = ()
    """Regulation references, e.g. `eu-ai-act:annex-iv(2)(g)` or `nyc-ll144:5-301(b)`."""
    description: str = ""
    """Why the rule exists, shown in reports."""
    remediation: str = ""
    """What to do when the rule fails, shown beside its findings."""
    override: bool = False
    """Replace a rule of the same id from a policy this one extends (otherwise a duplicate id
    is an error)."""
    check: AnyCheckSpec

    @property
    def kind(self) -> str:
        return self.check.kind

    def severity_problem(self) -> str | None:
        """Why the rule's severity misleads, if it does: a rule without a threshold only
        reports (it can never fail, so never gate), and a severity above `info` would claim
        otherwise in every report."""
        if self.check.gates or self.severity is Severity.INFO:
            return None
        return (
            f"rule '{self.id}' has severity '{self.severity.value}' but its {self.kind} block "
            "sets no threshold, so it can never fail: its outcome is always 'reported'"
        )

    @model_validator(mode="before")
    @classmethod
    def _check_block(cls, data: Any) -> Any:
        """Move the one check block (`documentation: {...}`, ...) under `check`, tagged."""
        if not isinstance(data, dict):
            return data
        blocks = [key for key in data if key in CHECK_KINDS]
        known = ", ".join(sorted(CHECK_KINDS))
        if len(blocks) > 1:
            found = " and ".join(blocks)
            raise error_at_key(
                blocks[1], f"a rule needs exactly one check block ({known}); found {found}"
            )
        if not blocks:
            # Unknown keys are left to the model (each reported at its key) when the rule has
            # its block; without one, the first unknown key is most likely the block misspelt.
            fields = set(cls.model_fields) - {"check"}
            unknown = [key for key in data if key not in fields]
            if unknown:
                suggestion = did_you_mean(str(unknown[0]), (*fields, *CHECK_KINDS))
                raise error_at_key(
                    unknown[0],
                    f"unknown key '{unknown[0]}'{suggestion}; a rule needs exactly one check "
                    f"block ({known})",
                )
            raise ValueError(f"a rule needs exactly one check block ({known}); found none")
        block = data[blocks[0]]
        if not isinstance(block, dict):
            raise error_at_key(blocks[0], f"'{blocks[0]}' must be a mapping of settings")
        if "kind" in block:
            raise error_at_key(
                (blocks[0], "kind"), "unknown key 'kind' (the block's own key names its kind)"
            )
        rest = {key: value for key, value in data.items() if key != blocks[0]}
        return {**rest, "check": {**block, "kind": blocks[0]}}


class PolicyHeader(FrozenModel):
    """A policy file's identity and what it extends, its rules left unread."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    policy: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The policy's name, shown in reports beside each of its rules."""
    version: str = "0"
    """The policy's version, recorded in every audit that applies it."""
    description: str = ""
    """What the policy is for."""
    extends: tuple[str, ...] = ()
    """Policies whose rules this one adds to: `builtin:NAME` or a path relative to this file."""
    catalogs: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    """Control catalog files (YAML, paths relative to this file) whose items the rules may cite
    in `controls`, beside the built-in catalogs."""


class PolicyFile(PolicyHeader):
    """A whole policy file: the header and its rules, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Rule, ...] = ()
    """The policy's own rules, added to those of the policies it extends."""
    covered_by_report: tuple[str, ...] = ()
    """Catalog items the audit report itself answers when it is signed (EU AI Act Annex IV
    2(g): test results, dated and signed): counted as covered in a signed audit."""
