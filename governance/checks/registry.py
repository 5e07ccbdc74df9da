"""Every check kind, by the YAML key that introduces it in a rule. Adding a kind means adding
its spec to `checks.specs`, its evidence to `checks.evidence`, and its check here."""

from __future__ import annotations

from typing import Any

from governance.checks.documentation.check import DocumentationCheck
from governance.checks.fairness.check import FairnessCheck
from governance.checks.interface import Check
from governance.checks.pii.check import PiiCheck

CHECKS: dict[str, Check[Any]] = {
    "documentation": DocumentationCheck(),
    "fairness": FairnessCheck(),
    "pii": PiiCheck(),
}
