"""Scanning a batch of one column's values with presidio; the only code that sees raw values.

A batch goes in (values, the column's facts, the entities asked for); counts and masked
examples come out. Exceptions are re-raised without their text, which could quote a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from governance.checks.pii.column_context import ColumnFacts
from governance.checks.pii.false_positives import (
    COMPANIONS,
    STRUCTURED_IDENTIFIERS,
    entities_worth_asking,
    may_explain_every_digit,
    phone_is_moot,
    plausible,
)
from governance.checks.pii.phone_regions import RegionMatcher, first_region_phones, region_matchers
from governance.errors import CheckCannotRun
from governance.personal_data.analyzer import LANGUAGE, AnalyzerConfig, shared_analyzer
from governance.personal_data.masking import mask
from governance.personal_data.prefilter import possible_entities

MAX_EXAMPLES = 3
PHONE = "PHONE_NUMBER"


class ScanFailed(CheckCannotRun):
    """presidio failed on a value; the message names the column, never the value."""


@dataclass(frozen=True)
class ScanBatch:
    job: int
    """Which column this batch belongs to, for merging."""
    values: tuple[str, ...]
    column: ColumnFacts
    entities: tuple[str, ...]
    min_score: float
    config: AnalyzerConfig


@dataclass
class EntityTally:
    hits: int = 0
    max_score: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, score: float, example: str) -> None:
        self.hits += 1
        self.max_score = max(self.max_score, score)
        if len(self.examples) < MAX_EXAMPLES and example not in self.examples:
            self.examples.append(example)

    def merge(self, other: EntityTally) -> None:
        self.hits += other.hits
        self.max_score = max(self.max_score, other.max_score)
        for example in other.examples:
            if len(self.examples) < MAX_EXAMPLES and example not in self.examples:
                self.examples.append(example)


@dataclass
class BatchTally:
    job: int
    scanned: int = 0
    analysed: int = 0
    """Values sent to presidio: the rest were ruled out by the prefilter."""
    entities: dict[str, EntityTally] = field(default_factory=dict)

    def merge(self, other: BatchTally) -> None:
        self.scanned += other.scanned
        self.analysed += other.analysed
        for entity, tally in other.entities.items():
            self.entities.setdefault(entity, EntityTally()).merge(tally)


def analysed_entities(batches: list[ScanBatch]) -> frozenset[str]:
    """Every entity presidio may be asked for while scanning `batches`: those requested and
    the companions analysed to recognise their false positives."""
    requested = {entity for batch in batches for entity in batch.entities}
    companions = {c for entity in requested for c in COMPANIONS.get(entity, ())}
    return frozenset(requested | companions)


def scan_batch(batch: ScanBatch) -> BatchTally:
    """Count, per entity, the values holding it at `min_score` or more (after the
    false-positive rules), with up to three masked examples each."""
    try:
        return _scan(batch)
    except Exception as error:
        raise ScanFailed(
            f"presidio failed on a value of column '{batch.column.name}' "
            f"({type(error).__name__}; the value is not shown)"
        ) from None


def _scan(batch: ScanBatch) -> BatchTally:
    analyzer = shared_analyzer(batch.config)
    regions = region_matchers(batch.config) if PHONE in batch.entities else ()
    tally = BatchTally(job=batch.job, scanned=len(batch.values))
    context = list(batch.column.words)
    wanted = set(batch.entities)
    for text in batch.values:
        candidates = possible_entities(
            text, entities_worth_asking(text, batch.column, batch.entities)
        )
        if not candidates:
            continue
        asked = set(candidates)
        for entity in candidates:
            asked.update(possible_entities(text, COMPANIONS.get(entity, ())))
        tally.analysed += 1
        results = _analyse(
            analyzer, text, asked, context, regions if _examples_chosen(tally) else ()
        )
        best: dict[str, tuple[float, str]] = {}
        for result in plausible(results, text, batch.column):
            entity = result.entity_type
            if entity not in wanted or result.score < batch.min_score:
                continue
            if entity not in best or result.score > best[entity][0]:
                best[entity] = (result.score, text[result.start : result.end])
        for entity, (score, span) in best.items():
            tally.entities.setdefault(entity, EntityTally()).add(score, mask(entity, span))
    return tally


def _examples_chosen(tally: BatchTally) -> bool:
    """Whether the batch's phone examples are all chosen, so later phone spans change nothing."""
    phones = tally.entities.get(PHONE)
    return phones is not None and len(phones.examples) >= MAX_EXAMPLES


def _analyse(
    analyzer: Any,
    text: str,
    entities: set[str],
    context: list[str],
    regions: tuple[RegionMatcher, ...] = (),
) -> list[Any]:
    """presidio's results for `entities` in `text`. A value shaped like an SSN, a card number,
    a UUID or an IBAN is first analysed without the phone matcher (the costliest recognizer,
    which reads their digits as phone numbers); if the identifiers found there hold every
    digit, rule 7 would drop any phone number in it, so the matcher is not run. The results
    that count are the same either way (presidio treats each entity's results separately).
    Given `regions` (the phone spans no longer matter), a value without a structured
    identifier has its phone numbers looked for one region at a time (`phone_regions`)."""
    if PHONE in entities and (regions or (len(entities) > 1 and may_explain_every_digit(text))):
        return _identifiers_then_phones(analyzer, text, entities, context, regions)
    return list(
        analyzer.analyze(text=text, language=LANGUAGE, entities=sorted(entities), context=context)
    )


def _identifiers_then_phones(
    analyzer: Any,
    text: str,
    entities: set[str],
    context: list[str],
    regions: tuple[RegionMatcher, ...],
) -> list[Any]:
    """The other entities first, then phone numbers only where rule 7 would not drop them:
    region by region when `regions` are given and no structured identifier was found."""
    # The text is processed once (a spaCy model, when one is used, runs once).
    artifacts = analyzer.nlp_engine.process_text(text, LANGUAGE)
    others = sorted(entities - {PHONE})
    first = (
        list(
            analyzer.analyze(
                text=text,
                language=LANGUAGE,
                entities=others,
                context=context,
                nlp_artifacts=artifacts,
            )
        )
        if others
        else []
    )
    if regions and not any(result.entity_type in STRUCTURED_IDENTIFIERS for result in first):
        return [*first, *first_region_phones(regions, text, context, artifacts)]
    if phone_is_moot(first, text):
        return first
    phones = analyzer.analyze(
        text=text, language=LANGUAGE, entities=[PHONE], context=context, nlp_artifacts=artifacts
    )
    return [*first, *phones]
