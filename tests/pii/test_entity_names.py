"""The entity names policies are validated against are written out (validating a policy does
not import presidio); they must be exactly what the installed presidio finds."""

from governance.personal_data.analyzer import AnalyzerConfig, _optional_recognizers, shared_analyzer
from governance.personal_data.entity_names import (
    COUNTRY_ENTITIES,
    DEFAULT_ENTITIES,
    KNOWN_ENTITIES,
    NER_ENTITIES,
)


def test_default_entities_are_what_the_offline_analyzer_finds() -> None:
    analyzer = shared_analyzer(AnalyzerConfig())
    assert frozenset(analyzer.get_supported_entities()) == DEFAULT_ENTITIES


def test_country_entities_are_presidios_other_pattern_recognizers() -> None:
    assert frozenset(_optional_recognizers()) - DEFAULT_ENTITIES == COUNTRY_ENTITIES


def test_every_country_entity_builds_an_analyzer_that_finds_it() -> None:
    for entity in sorted(COUNTRY_ENTITIES)[:: max(1, len(COUNTRY_ENTITIES) // 8)]:
        analyzer = shared_analyzer(AnalyzerConfig(extra_entities=frozenset({entity})))
        assert entity in analyzer.get_supported_entities()


def test_known_entities_are_the_three_lists() -> None:
    assert KNOWN_ENTITIES == DEFAULT_ENTITIES | COUNTRY_ENTITIES | NER_ENTITIES
    assert not DEFAULT_ENTITIES & COUNTRY_ENTITIES
