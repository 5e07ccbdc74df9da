"""A note: a sentence shown beside a rule's outcome about what its verdict leaves out or
assumes, such as a group left out of a comparison or the values taken as unknown."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from governance.vocabulary.documented_fields import DocumentedFields
from governance.vocabulary.output_text import QuotingText


class NoteKind(StrEnum):
    NOT_COMPARED = "not_compared"
    """Groups the verdict does not weigh (too small, too small a share): shown wherever the
    verdict is read, the console included."""
    SAMPLED = "sampled"
    """The verdict rests on part of the values (a PII scan's sample of distinct values, or
    values cut short before scanning): how much was analysed and what the rest may hold;
    shown wherever the verdict is read, the console included."""
    DATA = "data"
    """What the data holds that changes what the numbers mean (unknown values, missing
    outcomes, columns read through the manifest's mapping): shown in the report files."""


class Note(BaseModel, DocumentedFields):
    model_config = ConfigDict(frozen=True)

    kind: NoteKind
    text: QuotingText
