"""Without a spaCy model and without network, everything works and nothing is downloaded.

The session-wide `no_network` fixture (conftest) makes any socket use raise a BaseException,
which no library fallback can swallow, and fails the session if anything tried.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import Outcome
from governance.personal_data import analyzer as analyzer_module
from tests.pii.audit_files import audit, csv_text, only_rule, write_audit

PERSON_RULE = """
- id: NER-1
  title: no names
  severity: high
  pii: {entities: [PERSON, EMAIL_ADDRESS]}
"""


def test_the_network_guard_is_armed(no_network: list[str]) -> None:
    with pytest.raises(BaseException, match="network access attempted") as raised:
        socket.create_connection(("publicsuffix.org", 443), timeout=1)
    assert not isinstance(raised.value, Exception)  # no `except Exception` can hide it
    assert no_network.pop() == "(('publicsuffix.org', 443),)"


def test_a_fresh_analyzer_starts_and_finds_emails_offline() -> None:
    engine = analyzer_module._build(analyzer_module.AnalyzerConfig())
    results = engine.analyze("write to jane@example.co.uk", language="en")
    assert {r.entity_type for r in results} >= {"EMAIL_ADDRESS"}
    import tldextract.tldextract as tld

    assert tld.TLD_EXTRACTOR.suffix_list_urls == ()


def test_the_warmed_analyzer_finds_what_a_fresh_one_finds(analyzer: Any) -> None:
    """Workers are forked from an analyzer that ran a warm-up analysis (offline: the session's
    network guard is armed); it must leave no state that changes later results."""
    entities = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "CREDIT_CARD"})
    warmed = analyzer_module.warmed_analyzer(analyzer_module.AnalyzerConfig(), entities)
    assert warmed is analyzer  # the shared analyzer, warmed in place
    fresh = analyzer_module._build(analyzer_module.AnalyzerConfig())
    texts = ["mail bob.k@example.org", "call +44 20 7946 0958", "ssn 078-05-1120", "x 7"]
    for text in texts:
        ours = warmed.analyze(text=text, language="en", context=["contact"])
        theirs = fresh.analyze(text=text, language="en", context=["contact"])
        assert _found(ours) == _found(theirs)


WARMED_FOR_CONTACT_DETAILS = """
import json
from governance.personal_data import analyzer as module

analyzer = module.shared_analyzer(module.AnalyzerConfig())
module.warmed_analyzer(module.AnalyzerConfig(), frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"}))
compiled = {
    recognizer.supported_entities[0]: all(p.compiled_regex for p in recognizer.patterns)
    for recognizer in analyzer.registry.get_recognizers(language="en", all_fields=True)
    if getattr(recognizer, "patterns", None)
}
print(json.dumps(compiled))
"""


def test_the_warm_up_sets_up_only_the_entities_scanned() -> None:
    """Forking workers waits for the warm-up: it compiles the patterns of the entities a scan
    asks for, not every recognizer's (the URL patterns alone take longer than a contact-details
    rule's whole set-up). In a fresh interpreter: presidio's patterns are shared by class."""
    completed = subprocess.run(
        [sys.executable, "-c", WARMED_FOR_CONTACT_DETAILS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    compiled = json.loads(completed.stdout)
    assert compiled["EMAIL_ADDRESS"] is True
    assert compiled["URL"] is False
    assert [entity for entity, done in compiled.items() if done] == ["EMAIL_ADDRESS"]


def _found(results: list[Any]) -> list[tuple[str, int, int, float]]:
    return [(r.entity_type, r.start, r.end, r.score) for r in results]


def test_ner_entity_without_a_model_is_errored_with_an_install_hint(
    tmp_path: Path, analyzer: Any
) -> None:
    path = write_audit(
        tmp_path, PERSON_RULE, {"d": {"path": "d.csv"}}, {"d.csv": csv_text(["n"], [["Ann"]])}
    )
    rule = only_rule(audit(path))
    assert rule.outcome is Outcome.ERRORED
    assert rule.reason is not None
    assert "PERSON can only be found by a NER model" in rule.reason
    assert "nlp_model: en_core_web_lg" in rule.reason and "--nlp-model" in rule.reason


def test_a_model_that_is_not_installed_is_never_downloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, analyzer: Any
) -> None:
    def no_download(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a spaCy download was attempted")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    path = write_audit(
        tmp_path,
        PERSON_RULE,
        {"d": {"path": "d.csv"}},
        {"d.csv": csv_text(["n"], [["Ann"]])},
        {"nlp_model": "en_core_web_nonexistent"},
    )
    result = CliRunner().invoke(app, ["audit", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2, result.output
    assert "spaCy model 'en_core_web_nonexistent' is not installed" in result.stderr
    assert "nothing is downloaded" in result.stderr


def test_an_installed_model_named_on_the_command_line_is_used(
    tmp_path: Path, analyzer: Any
) -> None:
    """A blank spaCy pipeline with an (untrained) NER saved to disk stands in for
    en_core_web_lg: the point is that it is loaded from disk, offline."""
    model = tmp_path / "tiny_model"
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.initialize()
    nlp.to_disk(model)
    path = write_audit(
        tmp_path,
        PERSON_RULE,
        {"d": {"path": "d.csv"}},
        {"d.csv": csv_text(["who"], [["Ann Smith ann@mail.example.com"]])},
    )
    rule = only_rule(audit(path, nlp_model=str(model)))
    assert rule.outcome is Outcome.FAILED  # the e-mail; the untrained NER finds nothing sure
    assert rule.evidence is not None
    assert f"spaCy model {model}" in rule.evidence.analyzer  # type: ignore[union-attr]
    out = tmp_path / "out"
    cli = CliRunner().invoke(
        app, ["audit", str(path), "-o", str(out), "-q", "--nlp-model", str(model)]
    )
    assert cli.exit_code == 1, cli.output
    assert f"spaCy model {model}" in (out / "audit.json").read_text(encoding="utf-8")
