"""Manifests, policies and waivers are typed strictly: no implicit coercion, finite numbers
only, and text that a UTF-8 report can hold; each mistake exits 2 naming file:line (key)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.errors import InputError
from governance.waivers import load_waivers
from tests.conftest import GOOD_CARD

runner = CliRunner()

FAIRNESS_RULE = """\
policy: p
rules:
  - id: FAIR-1
    title: Impact ratio
    severity: high
    fairness:
      metric: selection_rate
      sensitive_features: [sex]
      {setting}
"""

DOC_RULE = """\
policy: p
rules:
  - id: DOC-1
    title: Card sections
    severity: {severity}
    documentation:
      document: model_card
      required_sections: [Intended use]
      {setting}
"""


def _audit_folder(tmp_path: Path, policy: str, dataset: str = "") -> Path:
    (tmp_path / "card.md").write_text(GOOD_CARD, encoding="utf-8")
    rows = "".join(f"{'FM'[i % 2]},{i % 3 and 1},{i % 2}\n" for i in range(60))
    (tmp_path / "data.csv").write_text("sex,hired,score\n" + rows, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    manifest = tmp_path / "audit.yaml"
    manifest.write_text(
        "name: strict\nmodel: {card: card.md}\npolicies: [policy.yaml]\n"
        "datasets:\n  d:\n    path: data.csv\n    label: hired\n    score: score\n"
        + (textwrap.indent(dataset, "    ") if dataset else "    threshold: 0.5\n"),
        encoding="utf-8",
    )
    return manifest


def _refused(manifest: Path, *located: str) -> str:
    out = manifest.parent / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output + result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    for part in located:
        assert part in result.stderr, result.stderr
    return result.stderr


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf"])
def test_manifest_threshold_must_be_finite(tmp_path, value):
    manifest = _audit_folder(
        tmp_path, FAIRNESS_RULE.format(setting="min: 0.8"), f"threshold: {value}\n"
    )
    _refused(manifest, "audit.yaml:9:", "(datasets.d.threshold)", "must be a finite number")


@pytest.mark.parametrize("setting", ["min: .nan", "max: .inf", "confidence: .nan"])
def test_policy_numbers_must_be_finite(tmp_path, setting):
    manifest = _audit_folder(tmp_path, FAIRNESS_RULE.format(setting=setting))
    key = setting.split(":")[0]
    _refused(manifest, "policy.yaml:9:7", f"(rules.0.fairness.{key})", "must be a finite number")


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("min_words: true", "'min_words' must be a whole number"),
        ('min_words: "5"', "'min_words' must be a whole number"),
        ("min_words: 2.5", "'min_words' must be a whole number"),
        ("required_fields: [!!binary aGVsbG8=]", "'required_fields[0]' must be text"),
    ],
)
def test_documentation_settings_are_not_coerced(tmp_path, setting, problem):
    manifest = _audit_folder(tmp_path, DOC_RULE.format(severity="high", setting=setting))
    _refused(manifest, "policy.yaml:9:", "(rules.0.documentation.", problem)


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ('per_feature: "yes"', "'per_feature' must be true or false"),
        ("intersectional: 1", "'intersectional' must be true or false"),
        ("min: true", "must be a number"),
        ('min: "0.8"', "must be a number"),
        ("min_group_size: 30.0", "'min_group_size' must be a whole number"),
    ],
)
def test_fairness_settings_are_not_coerced(tmp_path, setting, problem):
    manifest = _audit_folder(tmp_path, FAIRNESS_RULE.format(setting=setting))
    _refused(manifest, "policy.yaml:9:7", f"(rules.0.fairness.{setting.split(':')[0]})", problem)


def test_binary_text_in_a_manifest_is_a_type_error(tmp_path):
    manifest = _audit_folder(tmp_path, DOC_RULE.format(severity="high", setting=""))
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "description: !!binary aGVsbG8=\n",
        encoding="utf-8",
    )
    _refused(manifest, "audit.yaml:10:", "(description)", "'description' must be text")


def test_plain_yaml_still_validates(tmp_path):
    """Integers for float settings, enums written as text and lists for tuples are fine."""
    policy = FAIRNESS_RULE.format(setting="min: 1\n      compare: ratio_to_max")
    manifest = _audit_folder(tmp_path, policy.replace("high", "medium"))
    result = runner.invoke(
        app, ["audit", str(manifest), "--out", str(tmp_path / "out"), "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.stderr


@pytest.mark.parametrize("expires", ["2027-03-31", '"2027-03-31"', "'2027-03-31'"])
def test_waiver_dates_parse_quoted_or_not(tmp_path, expires):
    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n  - rule: A\n    reason: r\n    owner: o\n    approved_by: p\n"
        f"    expires: {expires}\n",
        encoding="utf-8",
    )
    assert load_waivers(path, frozenset({"A"}))[0].expires == dt.date(2027, 3, 31)


@pytest.mark.parametrize("expires", ["2027-03-31T10:00:00", "20270331", "true"])
def test_waiver_dates_are_dates_only(tmp_path, expires):
    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n  - rule: A\n    reason: r\n    owner: o\n    approved_by: p\n"
        f"    expires: {expires}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_waivers(path, frozenset({"A"}))
    assert caught.value.location is not None and caught.value.location.line == 6
    assert "'expires' must be a date (YYYY-MM-DD)" in caught.value.message


@pytest.mark.parametrize(
    "line", ['description: "bad \\ud800 text"', '"\\udfff": 1', 'name: "x\\uDC00"']
)
def test_lone_surrogate_is_an_input_error_and_nothing_is_written(tmp_path, line):
    manifest = _audit_folder(tmp_path, DOC_RULE.format(severity="high", setting=""))
    text = manifest.read_text(encoding="utf-8").replace("name: strict\n", "")
    manifest.write_text(("name: strict\n" if "name:" not in line else "") + line + "\n" + text)
    stderr = _refused(manifest, "audit.yaml:", "lone surrogate")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit.yaml",
        "card.md",
        "data.csv",
        "policy.yaml",
    ]
    assert "internal error" not in stderr
