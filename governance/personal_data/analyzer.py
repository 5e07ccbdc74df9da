"""The one place that creates presidio's analyzer: offline, once per process and configuration.

Offline means: presidio's `no_op` NLP engine (pattern, checksum and context recognizers, no
model), tldextract reading only the public-suffix snapshot it ships (never the network), and a
spaCy model only when the user names one that is already installed (never a download).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from governance.library_loading import collection_paused
from governance.personal_data.entity_names import DEFAULT_ENTITIES, NER_ENTITIES

# tldextract reads this when it is imported (presidio imports it): an empty list of URLs
# means "never fetch the public-suffix list". Set before any presidio import below.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

NER_INSTALL_HINT = (
    "install a spaCy model (e.g. `pip install en_core_web_lg` from your package mirror, or "
    "`python -m spacy download en_core_web_lg` where downloads are allowed) and name it with "
    "`nlp_model: en_core_web_lg` in the manifest or `--nlp-model en_core_web_lg`"
)
LANGUAGE = "en"


class NlpModelNotInstalled(Exception):  # noqa: N818
    """The manifest or command line names a spaCy model that is not installed."""


@dataclass(frozen=True)
class AnalyzerConfig:
    """What an analyzer is built from; equal configurations share one analyzer per process."""

    nlp_model: str | None = None
    extra_entities: frozenset[str] = frozenset()
    """Entities whose recognizers presidio ships but does not load by default (country ids)."""


@cache
def _offline_tldextract() -> None:
    """Replace tldextract's module-level extractor, in case it was imported (and read the
    environment) before us: no URLs, no disk cache, the bundled snapshot only. Once per
    process, so a second analyzer does not drop the suffix trie the first one built."""
    import tldextract.tldextract as module

    module.TLD_EXTRACTOR = module.TLDExtract(
        cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
    )


@cache
def _optional_recognizers() -> dict[str, type[Any]]:
    """Predefined pattern recognizers by the entity they find, for entities not loaded by
    default (country-specific ids such as IN_AADHAAR, UK_NINO, ES_NIF)."""
    import presidio_analyzer.predefined_recognizers as predefined
    from presidio_analyzer import PatternRecognizer

    found: dict[str, type[Any]] = {}
    for name in predefined.__all__:
        cls = getattr(predefined, name)
        if not (inspect.isclass(cls) and issubclass(cls, PatternRecognizer)):
            continue
        entity = getattr(cls, "ENTITIES", None) or _entity_of(cls)
        if isinstance(entity, str):
            found.setdefault(entity, cls)
    return found


def _entity_of(cls: type[Any]) -> str | None:
    default = inspect.signature(cls.__init__).parameters.get("supported_entity")
    value = None if default is None else default.default
    return value if isinstance(value, str) else None


def analyzer_config(entities: frozenset[str], nlp_model: str | None) -> AnalyzerConfig:
    """The configuration that can find `entities` (those in `NER_ENTITIES` only when
    `nlp_model` names a model)."""
    extra = frozenset(entities - DEFAULT_ENTITIES - NER_ENTITIES)
    return AnalyzerConfig(nlp_model=nlp_model, extra_entities=extra)


_WARM_UP_TEXT = (
    "jane.doe@example.com +1 212-555-0113 536-22-8726 4111 1111 1111 1111 "
    "GB82 WEST 1234 5698 7654 32 https://example.org/a 192.168.0.1 2026-11-26"
)
"""Made-up values that reach every default recognizer's lazy set-up."""


_ANALYZERS: dict[AnalyzerConfig, Any] = {}
_BUILDING = threading.RLock()
"""Held while an analyzer is built: a caller waits for the build another thread started."""


def shared_analyzer(config: AnalyzerConfig) -> Any:
    """The analyzer for `config`, built once per process (worker processes forked after it
    was built inherit it), whichever thread asks first."""
    with _BUILDING:
        analyzer = _ANALYZERS.get(config)
        if analyzer is None:
            with collection_paused():  # presidio and spaCy are imported on the first build
                analyzer = _ANALYZERS[config] = _build(config)
        return analyzer


def build_in_background(config: AnalyzerConfig) -> threading.Thread:
    """Start building the analyzer for `config` on a thread, for a caller that will need it
    after work that releases the GIL (a data engine's query): the import of presidio and
    spaCy and the build (about a second) then overlap that work. Join the thread before
    forking. A failed build is left to the caller that needs the analyzer: it builds again
    and gets the error itself."""

    def build() -> None:
        with contextlib.suppress(Exception):  # the caller that needs it reports the error
            shared_analyzer(config)

    thread = threading.Thread(target=build, name="presidio-analyzer", daemon=True)
    thread.start()
    return thread


@cache
def warmed_analyzer(config: AnalyzerConfig, entities: frozenset[str]) -> Any:
    """The shared analyzer after the one-time set-up of the recognizers for `entities`: what
    to fork workers from, so each inherits it done instead of repeating it on its first batch.
    Only the entities a scan asks for are set up: the URL recognizer's patterns alone take
    longer to compile than every recognizer a contact-details rule needs."""
    analyzer = shared_analyzer(config)
    _warm_up(analyzer, entities)
    return analyzer


def _warm_up(analyzer: Any, entities: frozenset[str]) -> None:
    """Run the one-time set-up presidio's recognizers for `entities` otherwise do on first
    use: tldextract's suffix trie (~0.13 s, first e-mail), phonenumbers' region metadata,
    compiled patterns. The analysis itself keeps no state, so later results are unchanged."""
    if entities:
        analyzer.analyze(
            text=_WARM_UP_TEXT,
            language=LANGUAGE,
            entities=sorted(entities),
            context=["email", "phone"],
        )


def _build(config: AnalyzerConfig) -> Any:
    _offline_tldextract()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # presidio logs at WARNING about recognizers for other languages; its debug logs can
    # quote analysed text, which may be personal data.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    if config.nlp_model is None:
        engine_conf = {
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": LANGUAGE, "model_name": "no_op"}],
        }
    else:
        _require_installed(config.nlp_model)
        engine_conf = {
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": LANGUAGE, "model_name": config.nlp_model}],
        }
    nlp_engine = NlpEngineProvider(nlp_configuration=engine_conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=[LANGUAGE])
    recognizers = _optional_recognizers()
    for entity in sorted(config.extra_entities):
        analyzer.registry.add_recognizer(recognizers[entity](supported_language=LANGUAGE))
    return analyzer


def _require_installed(model: str) -> None:
    """presidio downloads a missing spaCy model; we refuse instead."""
    import spacy.util

    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise NlpModelNotInstalled(
            f"spaCy model '{model}' is not installed (nothing is downloaded at run time); "
            + NER_INSTALL_HINT.replace("en_core_web_lg", model)
        )


@cache
def context_words(entity: str) -> frozenset[str]:
    """The context words presidio's recognizers for `entity` use (lower case)."""
    if entity in NER_ENTITIES:
        return frozenset()  # found by the model, which takes no context words
    analyzer = shared_analyzer(AnalyzerConfig(extra_entities=_extra_for(entity)))
    words: set[str] = set()
    for recognizer in analyzer.registry.get_recognizers(language=LANGUAGE, entities=[entity]):
        words.update(word.lower() for word in (recognizer.context or ()))
    return frozenset(words)


def _extra_for(entity: str) -> frozenset[str]:
    if entity in DEFAULT_ENTITIES or entity in NER_ENTITIES:
        return frozenset()
    return frozenset({entity})
