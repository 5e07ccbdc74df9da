"""The declarations check: what the documents declare against what the audit measured, each
comparison in its own module. A comparison that cannot be made (no Croissant file, no pii or
fairness rule, no training dataset) is said in a note; when none can, the rule is skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from governance.checks.declarations.comparison import Comparison
from governance.checks.declarations.evidence import DeclarationsEvidence
from governance.checks.declarations.fairness_features import compare_fairness_features
from governance.checks.declarations.personal_data import compare_personal_data
from governance.checks.declarations.spec import Compared, DeclarationsSpec
from governance.checks.declarations.training_data import compare_training_data
from governance.checks.interface import CheckReport
from governance.errors import CheckSkipped
from governance.vocabulary.notes import Note, NoteKind

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

_COMPARISONS: dict[Compared, Callable[[DeclarationsSpec, CheckContext], Comparison | str]] = {
    "personal_data": compare_personal_data,
    "fairness_features": compare_fairness_features,
    "training_data": compare_training_data,
}


class DeclarationsCheck:
    def run(self, spec: DeclarationsSpec, context: CheckContext) -> CheckReport:
        made: list[Comparison] = []
        not_made: list[str] = []
        for name in spec.compare:
            outcome = _COMPARISONS[name](spec, context)
            if isinstance(outcome, str):
                not_made.append(f"{name.replace('_', ' ')} not compared: {outcome}")
            else:
                made.append(outcome)
        if not made:
            raise CheckSkipped("; ".join(not_made))
        fairness = next((c.fairness for c in made if c.fairness is not None), None)
        return CheckReport(
            findings=tuple(f for c in made for f in c.findings),
            evidence=DeclarationsEvidence(
                datasets=tuple(item for c in made for item in c.personal_data),
                fairness=fairness,
                training=next((c.training for c in made if c.training is not None), None),
            ),
            notes=(
                *(note for c in made for note in c.notes),
                *(Note(kind=NoteKind.DATA, text=reason) for reason in not_made),
            ),
        )
