"""Declared fairness evaluation: the group attributes the model card's sentences about fairness
name (selection rates "per sex and race/ethnicity", an evaluation "by age and disability"),
against the sensitive features the audit's fairness rules measured (their evidence).

A card is prose, so the sentences about fairness are found by their words (fairness, bias,
selection rate, impact ratio, disparity, parity, equalized odds, subgroup...) and the
attributes by the words people write for them; a measured feature stands for an attribute
when its name says it (`race_ethnicity` for race, `age_band` for age)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from governance.checks.declarations.comparison import Comparison
from governance.checks.declarations.evidence import DeclaredFairness, StatedAttribute
from governance.checks.declarations.spec import DeclarationsSpec
from governance.checks.fairness.evidence import FairnessEvidence
from governance.text_files import read_text_file
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope
from governance.vocabulary.notes import Note, NoteKind

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

ATTRIBUTES: dict[str, str] = {
    "sex": r"\bsex(?:es)?\b|\bgenders?\b",
    "race": r"\brac(?:e|es|ial)\b|\bethnic",
    "age": r"\bages?\b|\bage[ _-]?(?:band|group|bracket)s?\b",
    "disability": r"\bdisabilit",
    "religion": r"\breligio",
    "national origin": r"\bnational(?:ity| origin)",
    "sexual orientation": r"\bsexual orientation",
    "marital status": r"\bmarital",
    "veteran status": r"\bveteran",
    "pregnancy": r"\bpregnan",
}
_ABOUT_FAIRNESS = re.compile(
    r"fairness|\bbias|selection rates?|impact ratios?|disparit|\bparity|equali[sz]ed odds"
    r"|equal opportunity|adverse impact|disaggregat|subgroup|four-fifths",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def compare_fairness_features(spec: DeclarationsSpec, context: CheckContext) -> Comparison | str:
    card = context.manifest.manifest.model.card
    if card is None:
        return "the manifest declares no model card"
    measured = [m.evidence for m in context.measured if isinstance(m.evidence, FairnessEvidence)]
    if not measured:
        return "no fairness rule of the audit measured the data to compare with"
    audited = tuple(dict.fromkeys(_audited_features(measured)))
    shown = context.manifest.display_path(card)
    stated = tuple(_stated(read_text_file(card, "model card"), audited))
    fairness = DeclaredFairness(path=shown, stated=stated, audited=audited)
    if not stated:
        note = f"{shown} has no sentence about its fairness evaluation that names a group attribute"
        return Comparison(notes=(Note(kind=NoteKind.DATA, text=note),), fairness=fairness)
    named = {feature for item in stated for feature in item.audited_by}
    return Comparison(
        findings=tuple(_finding(item, audited, shown) for item in stated if not item.audited_by),
        notes=tuple(
            Note(
                kind=NoteKind.DATA,
                text=f"the fairness rules measured '{feature}', which {shown} does not name "
                "in its fairness evaluation",
            )
            for feature in audited
            if feature not in named
        ),
        fairness=fairness,
    )


def _audited_features(measured: list[FairnessEvidence]) -> Iterator[str]:
    for evidence in measured:
        for feature_set in evidence.feature_sets:
            yield from feature_set.features


def _attributes(text: str) -> set[str]:
    return {name for name, pattern in ATTRIBUTES.items() if re.search(pattern, text, re.I)}


def _stated(card: str, audited: tuple[str, ...]) -> Iterator[StatedAttribute]:
    """Each attribute the card's sentences about fairness name, at its first such line."""
    standing = {feature: _attributes(feature.replace("_", " ")) for feature in audited}
    seen: set[str] = set()
    for line, sentence in _sentences(card):
        if not _ABOUT_FAIRNESS.search(sentence):
            continue
        for attribute in sorted(_attributes(sentence) - seen):
            seen.add(attribute)
            by = tuple(f for f in audited if attribute in standing[f])
            yield StatedAttribute(attribute=attribute, line=line, audited_by=by)


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield text.count("\n", 0, start) + 1, text[start : match.start()]
        start = match.end()
    yield text.count("\n", 0, start) + 1, text[start:]


def _finding(item: StatedAttribute, audited: tuple[str, ...], shown: str) -> Finding:
    measured = ", ".join(f"'{feature}'" for feature in audited)
    return Finding(
        message=f"the model card's fairness evaluation names {item.attribute} (line "
        f"{item.line}), which no fairness rule measured (measured: {measured})",
        scope=FindingScope(document="model_card"),
        location=FindingLocation(path=shown, line=item.line),
    )
