"""presidio's analyzer built on a thread while the PII check's profile query runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from governance.engine.result import Outcome
from governance.personal_data import analyzer as analyzer_module
from governance.personal_data.analyzer import AnalyzerConfig, build_in_background
from tests.pii.audit_files import audit, only_rule, write_audit


@pytest.fixture
def no_analyzers(monkeypatch: pytest.MonkeyPatch, analyzer: Any) -> list[AnalyzerConfig]:
    """No analyzer built yet in this process (the session's stays for the other tests); the
    configurations built from here on, in order."""
    monkeypatch.setattr(analyzer_module, "_ANALYZERS", {})
    built: list[AnalyzerConfig] = []
    real = analyzer_module._build

    def counted(config: AnalyzerConfig) -> Any:
        built.append(config)
        return real(config)

    monkeypatch.setattr(analyzer_module, "_build", counted)
    return built


def test_a_caller_waits_for_the_build_a_thread_started(no_analyzers: list[Any]) -> None:
    thread = build_in_background(AnalyzerConfig())
    analyzer = analyzer_module.shared_analyzer(AnalyzerConfig())  # while it builds
    thread.join()
    assert no_analyzers == [AnalyzerConfig()]  # built once, not once per thread
    assert analyzer is analyzer_module.shared_analyzer(AnalyzerConfig())
    assert "EMAIL_ADDRESS" in {r.entity_type for r in analyzer.analyze("a@b.org", language="en")}


def test_a_failed_build_on_the_thread_is_the_callers_error(
    no_analyzers: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyzer_module._build
    attempts: list[AnalyzerConfig] = []

    def fails(config: AnalyzerConfig) -> Any:
        attempts.append(config)
        raise RuntimeError("presidio could not start")

    monkeypatch.setattr(analyzer_module, "_build", fails)
    build_in_background(AnalyzerConfig()).join()  # the thread swallows it, silently
    with pytest.raises(RuntimeError, match="presidio could not start"):
        analyzer_module.shared_analyzer(AnalyzerConfig())
    assert len(attempts) == 2  # the caller built again and got the error itself
    monkeypatch.setattr(analyzer_module, "_build", real)
    assert analyzer_module.shared_analyzer(AnalyzerConfig()) is not None


def test_the_pii_check_joins_its_thread_before_scanning(
    tmp_path: Path, no_analyzers: list[Any]
) -> None:
    """The scan forks its workers: no analyzer thread may still run then, nor after."""
    rows = "\n".join(f"{i},user{i}@example.org" for i in range(2_000))
    manifest = write_audit(
        tmp_path,
        "- id: PII-1\n  title: no e-mails\n  severity: high\n  pii: {entities: [EMAIL_ADDRESS]}\n",
        {"people": {"path": "people.csv"}},
        {"people.csv": "id,contact\n" + rows + "\n"},
    )
    result = audit(manifest)
    rule = only_rule(result)
    assert rule.outcome is Outcome.FAILED
    assert no_analyzers[0] == AnalyzerConfig()  # the thread's build, reused by the scan
    assert len(set(no_analyzers)) == len(no_analyzers)  # no configuration built twice
    assert not [t for t in threading.enumerate() if t.name == "presidio-analyzer"]
