"""The engine: outcomes, the gate, errored checks, hashing, reading each input once."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from governance.checks import registry
from governance.data.store import DatasetStore
from governance.engine.result import Outcome, Verdict
from governance.engine.run import run_audit
from governance.errors import InputError
from governance.severity import FailOn


def test_a_passing_audit(small_audit):
    result = run_audit(small_audit)
    assert [r.outcome for r in result.rules] == [Outcome.PASSED]
    assert result.verdict is Verdict.PASSED
    assert result.counts == {
        "passed": 1,
        "reported": 0,
        "failed": 0,
        "waived": 0,
        "skipped": 0,
        "errored": 0,
    }
    assert result.audit.created_at.isoformat() == "2026-11-26T00:00:00+00:00"
    assert result.audit.fail_on is FailOn.HIGH
    assert result.tool.version and "pydantic" in result.tool.libraries


def test_every_input_is_hashed(small_audit):
    result = run_audit(small_audit)
    by_path = {i.path: i for i in result.inputs}
    assert set(by_path) == {"audit.yaml", "policy.yaml", "card.md"}
    card = small_audit.parent / "card.md"
    assert by_path["card.md"].sha256 == hashlib.sha256(card.read_bytes()).hexdigest()
    assert by_path["card.md"].size == card.stat().st_size
    assert {i.role for i in result.inputs} == {"manifest", "policy", "model_card"}


def test_builtin_policies_are_named_not_located(example):
    result = run_audit(example)
    policies = {i.path for i in result.inputs if i.role == "policy"}
    assert policies == {
        "builtin:baseline",
        "builtin:nyc-ll144",
        "builtin:eeoc-four-fifths",
        "builtin:gdpr-pii",
        "hiring-policy.yaml",
    }
    dataset = next(i for i in result.inputs if i.role == "dataset")
    assert dataset.path == "data/applicants.csv"
    assert (
        dataset.sha256
        == hashlib.sha256((example.parent / "data" / "applicants.csv").read_bytes()).hexdigest()
    )


def _replace_documentation_check(monkeypatch, check):
    kind = registry.CHECKS["documentation"]
    monkeypatch.setitem(
        registry.CHECKS, "documentation", dataclasses.replace(kind, load_check=lambda: check)
    )


class _Crashing:
    def run(self, spec, context):
        raise RuntimeError("boom")


def test_a_crashing_check_is_errored_and_fails_the_gate(small_audit, monkeypatch):
    _replace_documentation_check(monkeypatch, _Crashing())
    result = run_audit(small_audit, fail_on=FailOn.CRITICAL)
    rule = result.rules[0]
    assert rule.outcome is Outcome.ERRORED
    assert rule.reason == "RuntimeError: boom"
    assert result.verdict is Verdict.FAILED
    assert result.gate_failures() == (rule,)


def test_fail_on_decides_which_failures_block(example):
    assert run_audit(example, fail_on=FailOn.HIGH).verdict is Verdict.FAILED
    relaxed = run_audit(example, fail_on=FailOn.CRITICAL)
    assert relaxed.verdict is Verdict.PASSED_WITH_WAIVERS
    assert relaxed.counts["failed"] > 0


def test_rule_naming_an_undeclared_dataset_is_an_input_error(write, small_audit):
    write(
        "policy.yaml",
        "policy: p\nrules:\n  - id: D\n    title: t\n    severity: high\n"
        "    documentation: {document: datasheet, datasets: [evaluation], required_fields: [x]}\n",
    )
    with pytest.raises(InputError) as caught:
        run_audit(small_audit)
    assert "rule 'D' names dataset 'evaluation'" in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == 3


@pytest.mark.parametrize(
    ("manifest", "message", "line"),
    [
        ("name: t\nmodel: {card: absent.md}\npolicies: [policy.yaml]\n", "absent.md not found", 2),
        ("name: t\nmodel: {card: card.md}\npolicies: [nope.yaml]\n", "nope.yaml not found", 3),
        ("name: t\nmodel: {card: card.md}\npolicies: []\n", "policies", 3),
        ("name: t\nmodle: {card: card.md}\npolicies: [policy.yaml]\n", "unknown key 'modle'", 2),
        ("name: bad name!\npolicies: [policy.yaml]\n", "name", 1),
        (
            "name: t\npolicies: [policy.yaml]\ndatasets:\n  d: {path: card.md, threshold: 0.5}\n",
            "'threshold' needs a 'score' column",
            4,
        ),
        ("name: t\npolicies: [policy.yaml]\ndatasets:\n  d: {label: y}\n", "needs a 'path'", 4),
        ("name: t\npolicies: [policy.yaml]\nwaivers: w.yaml\n", "w.yaml not found", 3),
    ],
)
def test_bad_manifests_are_located(small_audit, write, manifest, message, line):
    path = write("audit.yaml", manifest)
    with pytest.raises(InputError) as caught:
        run_audit(path)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert Path(caught.value.location.file).name == "audit.yaml"
    assert caught.value.location.line == line


def test_source_date_epoch_must_be_a_number(small_audit, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(Exception, match="SOURCE_DATE_EPOCH"):
        run_audit(small_audit)


def test_a_dataset_is_read_once_whatever_the_number_of_queries(write):
    path = write("data.csv", "a,b\n1,x\n2,y\n")
    from governance.manifest import DatasetSpec

    store = DatasetStore({"d": DatasetSpec(path=path)})
    first = store.table("d")
    path.write_text("a,b\n9,z\n")  # a second read would see this
    assert store.table("d").fetchall() == first.fetchall() == [(1, "x"), (2, "y")]
    assert store.columns("d") == ("a", "b")


def test_in_memory_frames_need_no_path(write):
    from governance.manifest import DatasetSpec

    store = DatasetStore({"d": DatasetSpec()}, {"d": pd.DataFrame({"a": [1, 2, 3]})})
    assert store.table("d").aggregate("sum(a)").fetchall() == [(6,)]


def test_unreadable_dataset_names_the_file(write):
    from governance.manifest import DatasetSpec

    path = write("data.parquet", "this is not parquet")
    with pytest.raises(InputError) as caught:
        DatasetStore({"d": DatasetSpec(path=path)}).table("d")
    assert "is not a PARQUET file" in caught.value.message
    assert Path(caught.value.location.file).name == "data.parquet"


class _LeakyCrash:
    def run(self, spec, context):
        raise ValueError("could not convert string to float: 'jane.doe@example.com'\nrow 3")


def test_errored_reasons_withhold_quoted_values(small_audit, monkeypatch):
    _replace_documentation_check(monkeypatch, _LeakyCrash())
    reason = run_audit(small_audit).rules[0].reason
    assert reason == "ValueError: could not convert string to float: <value withheld>"


class _UserMistake:
    def run(self, spec, context):
        raise InputError("column 'sex' not found in dataset 'applicants'")


def test_input_errors_found_by_a_check_name_the_rule_and_its_policy(small_audit, monkeypatch):
    _replace_documentation_check(monkeypatch, _UserMistake())
    with pytest.raises(InputError) as caught:
        run_audit(small_audit)
    assert caught.value.message == "rule 'DOC-1': column 'sex' not found in dataset 'applicants'"
    assert caught.value.location is not None
    assert Path(caught.value.location.file).name == "policy.yaml"
    assert caught.value.location.line == 3


def test_an_input_changed_during_the_audit_stops_it(small_audit, monkeypatch):
    original = registry.CHECKS["documentation"].check

    class Toucher:
        """A check during which another process rewrites the model card."""

        def run(self, spec, context):
            card = context.manifest.base_dir / "card.md"
            card.write_text(card.read_text() + "\nedited\n")
            return original.run(spec, context)

    _replace_documentation_check(monkeypatch, Toucher())
    with pytest.raises(InputError, match="card.md changed while it was being audited"):
        run_audit(small_audit)


def test_the_data_store_never_draws_duckdbs_progress_bar() -> None:
    # DuckDB's bar appeared on long scans even with --quiet and in CI logs.
    store = DatasetStore({})
    try:
        setting = store.connection.execute("SELECT current_setting('enable_progress_bar')")
        assert setting.fetchone() == (False,)
    finally:
        store.close()
