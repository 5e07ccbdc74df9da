"""A policy rule and a policy file, as written in YAML."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from governance.checks.registry import CHECK_KINDS, AnyCheckSpec
from governance.config.validation import NAME_PATTERN, FrozenModel, Lax
from governance.severity import Severity

RULE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
_RULE_FIELDS = frozenset(
    {"id", "title", "severity", "controls", "description", "remediation", "override"}
)


class Rule(FrozenModel):
    id: Annotated[str, Field(pattern=RULE_ID_PATTERN, max_length=64)]
    title: Annotated[str, Field(min_length=1)]
    severity: Annotated[Severity, Lax]
    controls: tuple[str, ...] = ()
    """Regulation references, e.g. `eu-ai-act:annex-iv(2)(g)` or `nyc-ll144:5-301(b)`."""
    description: str = ""
    remediation: str = ""
    override: bool = False
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
        unknown = [key for key in data if key not in _RULE_FIELDS and key not in CHECK_KINDS]
        known = ", ".join(sorted(CHECK_KINDS))
        if unknown:
            raise ValueError(f"unknown check kind or key '{unknown[0]}' (check kinds: {known})")
        if len(blocks) != 1:
            found = " and ".join(blocks) if blocks else "none"
            raise ValueError(f"a rule needs exactly one check block ({known}); found {found}")
        rest = {key: value for key, value in data.items() if key != blocks[0]}
        block = data[blocks[0]]
        if not isinstance(block, dict):
            raise ValueError(f"'{blocks[0]}' must be a mapping of settings")
        return {**rest, "check": {**block, "kind": blocks[0]}}


class PolicyHeader(FrozenModel):
    """A policy file's identity and what it extends, its rules left unread."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    policy: Annotated[str, Field(pattern=NAME_PATTERN)]
    version: str = "0"
    description: str = ""
    extends: tuple[str, ...] = ()


class PolicyFile(PolicyHeader):
    """A whole policy file: the header and its rules, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Rule, ...] = ()
