"""Waivers (`waivers.yaml`): approved, expiring exceptions to a rule, optionally scoped."""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from governance.config.suggestions import did_you_mean
from governance.config.validation import FrozenModel, parse_model
from governance.config.yaml_document import load_yaml_document
from governance.personal_data.identifiers import mask_identifier
from governance.vocabulary.findings import FindingScope

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class WaiverScope(FrozenModel):
    """Which findings of the rule the waiver covers; each field is a glob, absent means any."""

    dataset: str | None = None
    """The dataset's name."""
    column: str | None = None
    """The column's name."""
    group: str | None = None
    """The group's label, as reports show it (`sex=female`)."""
    document: str | None = None
    """The document: `model_card`, `datasheet:NAME` for a dataset's datasheet, or
    `croissant:NAME` for its Croissant file."""

    def covers(self, scope: FindingScope) -> bool:
        """Findings carry identifiers masked (`age_band=***-**-1120`): a pattern matches in
        the form written, as a user copies it from a report, or masked the same way, as a user
        writes it from the data."""
        for key in FindingScope.model_fields:
            pattern = getattr(self, key)
            value = getattr(scope, key)
            if pattern is None:
                continue
            if value is None or not (
                fnmatchcase(value, pattern) or fnmatchcase(value, mask_identifier(pattern))
            ):
                return False
        return True


class Waiver(FrozenModel):
    """An approved exception: the rule's failures it covers are reported as waived."""

    rule: Text
    """The id of the rule waived; it must be a rule of the audit."""
    scope: WaiverScope = WaiverScope()
    """Which findings of the rule the waiver covers; each field is a glob, absent means any."""
    reason: Text
    """Why the exception is acceptable."""
    owner: Text
    """Who answers for the exception."""
    approved_by: Text
    """Who approved it."""
    expires: dt.date
    """Last day on which the waiver applies."""

    @field_validator("expires", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """A quoted ISO date ("2027-03-31") is a date too; YAML gives unquoted ones as dates."""
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return value  # refused by the strict date type, with the usual wording
        return value

    def expired_on(self, day: dt.date) -> bool:
        return day > self.expires


class WaiverFile(FrozenModel):
    """Approved, expiring exceptions to rules."""

    waivers: tuple[Waiver, ...] = Field(default=())
    """The waivers; an expired one no longer applies and is itself reported."""


def load_waivers(path: Path, rule_ids: frozenset[str]) -> tuple[Waiver, ...]:
    """Load the waivers; a waiver for a rule the policies do not define is a mistake (a typo
    would otherwise leave the failure it meant to waive unexplained)."""
    document = load_yaml_document(path, "waivers file")
    if not isinstance(document.data, dict):
        raise document.error("a waivers file must be a mapping with a 'waivers' list")
    waivers = parse_model(WaiverFile, document).waivers
    for index, waiver in enumerate(waivers):
        if waiver.rule not in rule_ids:
            raise document.error(
                f"waiver for rule '{waiver.rule}', which no policy of this audit defines"
                + did_you_mean(waiver.rule, rule_ids),
                ("waivers", index, "rule"),
            )
    return waivers
