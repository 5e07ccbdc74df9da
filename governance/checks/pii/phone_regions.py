"""Phone numbers looked for region by region, for values whose phone spans no longer matter.

presidio's phone recognizer runs phonenumbers' matcher once per region (eight by default) and
reports every number any region finds: the costliest recognizer. Whether a value holds a phone
number is known at the first region that finds one, and with the `no_op` NLP engine every
phone result of a value scores the same (the recognizer's score raised by the column's context
words; no tokens around a span). So where a value's phone spans are not needed (its batch's
examples are already chosen, and no structured identifier in the value can drop a phone
number, rule 7), presidio is asked one region at a time and stops at the first that finds a
number, scored by the same analyzer pipeline: the count, the highest score and the examples
are those of the whole recognizer (`tests/pii/test_phone_regions.py` compares them).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from governance.personal_data.analyzer import LANGUAGE, AnalyzerConfig, shared_analyzer

PHONE = "PHONE_NUMBER"


@dataclass(frozen=True)
class RegionMatcher:
    """presidio's phone recognizer restricted to one region, alone and in an analyzer."""

    recognizer: Any
    analyzer: Any


@cache
def region_matchers(config: AnalyzerConfig) -> tuple[RegionMatcher, ...]:
    """One matcher per region of the analyzer's phone recognizer, in its order; none when a
    spaCy model scores by the words around a span, or when the registry does not hold exactly
    one phone recognizer of presidio's kind."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer
    from presidio_analyzer.recognizer_registry import RecognizerRegistry

    if config.nlp_model is not None:
        return ()
    analyzer = shared_analyzer(config)
    phones = analyzer.registry.get_recognizers(language=LANGUAGE, entities=[PHONE])
    if len(phones) != 1 or type(phones[0]) is not PhoneRecognizer:
        return ()
    matchers = []
    with warnings.catch_warnings():
        # presidio warns that its context enhancer sees no words around a span with no_op:
        # the reason the shortcut is exact.
        warnings.simplefilter("ignore")
        for region in phones[0].supported_regions:
            single = copy.copy(phones[0])
            single.supported_regions = (region,)
            engine = AnalyzerEngine(
                registry=RecognizerRegistry([single], supported_languages=[LANGUAGE]),
                nlp_engine=analyzer.nlp_engine,
                supported_languages=[LANGUAGE],
                default_score_threshold=analyzer.default_score_threshold,
                context_aware_enhancer=analyzer.context_aware_enhancer,
            )
            matchers.append(RegionMatcher(single, engine))
    return tuple(matchers)


def first_region_phones(
    matchers: tuple[RegionMatcher, ...], text: str, context: list[str], artifacts: Any
) -> list[Any]:
    """presidio's phone results in `text` from the first region that finds a number (none
    when no region does, as the whole recognizer finds none)."""
    for matcher in matchers:
        if matcher.recognizer.analyze(text, [PHONE], artifacts):
            found = matcher.analyzer.analyze(
                text=text,
                language=LANGUAGE,
                entities=[PHONE],
                context=context,
                nlp_artifacts=artifacts,
            )
            if found:
                return list(found)
    return []
