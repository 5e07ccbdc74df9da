"""The check blocks a rule may hold, one per check kind, as a tagged union."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from governance.checks.documentation.spec import DocumentationSpec
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.pii.spec import PiiSpec

CheckSpec = Annotated[DocumentationSpec | FairnessSpec | PiiSpec, Field(discriminator="kind")]

CHECK_KINDS: frozenset[str] = frozenset({"documentation", "fairness", "pii"})
