"""The evidence each check kind records, as a tagged union (its JSON form is in the schema)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from governance.checks.documentation.evidence import DocumentationEvidence
from governance.checks.fairness.evidence import FairnessEvidence
from governance.checks.pii.evidence import PiiEvidence

Evidence = Annotated[
    DocumentationEvidence | FairnessEvidence | PiiEvidence, Field(discriminator="kind")
]
