"""Declared versus found for training data: the datasets the model card's front matter names and
the training data size its training data section states, against the manifest's datasets with
`role: training` and the rows the audit counts in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.engine.result import Outcome
from governance.engine.run import run_audit

REPOSITORY = Path(__file__).resolve().parents[2]

POLICY = """\
policy: p
rules:
  - id: DECL-1
    title: the card's training data is the manifest's
    severity: high
    declarations: {compare: [training_data]}
"""

CARD = """\
---
license: apache-2.0
datasets:
  - acme/applicants-2025
---

# Card

## Training data

The model was trained on 120 applications received in 2025.

## Evaluation data

A held-out sample of 4,000 applications.
"""

TRAINING = "  train: {path: train.csv, role: training, id: acme/applicants-2025}\n"
EVALUATION = "  holdout: {path: holdout.csv}\n"


def _audit(write, card: str = CARD, datasets: str = TRAINING + EVALUATION, policy: str = POLICY):
    manifest = _write_audit(write, card, datasets, policy)
    return {rule.id: rule for rule in run_audit(manifest).rules}["DECL-1"]


def _write_audit(write, card: str, datasets: str, policy: str) -> Path:
    write("train.csv", "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(120)))
    write("holdout.csv", "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(40)))
    write("card.md", card)
    write("policy.yaml", policy)
    return write(
        "audit.yaml",
        f"name: t\nmodel: {{card: card.md}}\ndatasets:\n{datasets}policies: [policy.yaml]\n",
    )


def test_a_card_naming_the_training_dataset_and_its_size_passes(write):
    declared = _audit(write)
    assert declared.outcome is Outcome.PASSED
    training = declared.evidence.training
    assert [(n.id, n.line, n.dataset, n.role) for n in training.named] == [
        ("acme/applicants-2025", 4, "train", "training")
    ]
    assert [(t.dataset, t.rows) for t in training.training] == [("train", 120)]
    # the evaluation section's "4,000 applications" is not a training data size
    assert [(s.rows, s.unit, s.line) for s in training.stated] == [(120, "applications", 11)]


def test_the_evaluation_dataset_is_not_compared_with_the_cards_training_data(write):
    """The normal case: the card names its training set, the manifest holds only evaluation
    data. Nothing to compare with is said, never a failure nor a silent pass."""
    declared = _audit(write, datasets=EVALUATION)
    assert declared.outcome is Outcome.SKIPPED
    assert declared.reason == (
        "training data not compared: the manifest declares no training dataset (a dataset "
        "with `role: training`)"
    )


def test_a_stated_size_that_differs_from_the_training_rows_fails_saying_both(write):
    card = CARD.replace("on 120 applications", "on 12,500 applications")
    declared = _audit(write, card=card)
    assert declared.outcome is Outcome.FAILED
    [finding] = declared.findings
    assert finding.message == (
        "the model card states 12,500 applications of training data (line 11), but the "
        "manifest's training dataset 'train' has 120 rows"
    )
    assert (finding.location.path, finding.location.line) == ("card.md", 11)


def test_a_size_within_the_tolerance_passes(write):
    card = CARD.replace("on 120 applications", "on 125 applications")
    policy = POLICY.replace("[training_data]}", "[training_data], row_tolerance: 5}")
    assert _audit(write, card=card, policy=policy).outcome is Outcome.PASSED
    policy = POLICY.replace("[training_data]}", "[training_data], row_tolerance: 4}")
    [finding] = _audit(write, card=card, policy=policy).findings
    assert finding.message.endswith("'train' has 120 rows (tolerance 4)")


def test_a_card_naming_the_evaluation_dataset_as_training_data_fails(write):
    card = CARD.replace("  - acme/applicants-2025\n", "  - acme/applicants-2025\n  - holdout\n")
    [finding] = _audit(write, card=card).findings
    assert finding.message == (
        "the model card's front matter names training dataset 'holdout' (line 5), which "
        "audit.yaml declares as evaluation dataset 'holdout' (training datasets: "
        "'acme/applicants-2025')"
    )
    assert (finding.location.path, finding.location.line) == ("card.md", 5)


def test_a_card_naming_an_undeclared_dataset_and_leaving_out_the_training_one_fails(write):
    card = CARD.replace("acme/applicants-2025", "acme/applicants-2019")
    declared = _audit(write, card=card)
    assert sorted(f.message for f in declared.findings) == [
        "audit.yaml declares training dataset 'acme/applicants-2025' (line 4), which the model "
        "card's front matter `datasets` (line 3) does not name (named: 'acme/applicants-2019')",
        "the model card's front matter names training dataset 'acme/applicants-2019' (line 4), "
        "which audit.yaml does not declare (training datasets: 'acme/applicants-2025')",
    ]


def test_a_card_without_datasets_fails_for_each_training_dataset(write):
    card = CARD.replace("datasets:\n  - acme/applicants-2025\n", "")
    [finding] = _audit(write, card=card).findings
    assert finding.message == (
        "audit.yaml declares training dataset 'acme/applicants-2025' (line 4), which the model "
        "card's front matter `datasets` does not name (named: none)"
    )
    assert (finding.location.path, finding.location.line) == ("card.md", None)


def test_a_dataset_without_an_id_is_named_by_its_manifest_name(write):
    card = CARD.replace("acme/applicants-2025", "train")
    datasets = TRAINING.replace(", id: acme/applicants-2025", "") + EVALUATION
    assert _audit(write, card=card, datasets=datasets).outcome is Outcome.PASSED


def test_personal_data_in_a_card_dataset_id_is_masked(write):
    card = CARD.replace("acme/applicants-2025", "jane.doe@example.com")
    declared = _audit(write, card=card)
    assert declared.outcome is Outcome.FAILED
    text = " ".join(f.message for f in declared.findings) + repr(declared.evidence)
    assert "jane.doe@example.com" not in text


@pytest.mark.parametrize(
    ("datasets", "key", "line"),
    [
        ("  train: {path: train.csv, role: testing}\n", "datasets.train.role", 4),
        ("  train:\n    path: train.csv\n    id: ''\n", "datasets.train.id", 6),
    ],
)
def test_a_bad_role_or_id_is_an_input_error_at_its_key(write, datasets, key, line):
    manifest = _write_audit(write, CARD, datasets, POLICY)
    result = CliRunner().invoke(app, ["audit", str(manifest)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [error] = [line for line in result.stderr.splitlines() if "error" in line]
    assert f"audit.yaml:{line}:" in error
    assert f"({key})" in error


def test_several_training_datasets_are_compared_each_and_in_total(write):
    datasets = TRAINING + "  extra: {path: holdout.csv, role: training}\n"
    card = CARD.replace("  - acme/applicants-2025\n", "  - acme/applicants-2025\n  - extra\n")
    for size in ("120", "40", "160"):
        stated = card.replace("on 120 applications", f"on {size} applications")
        assert _audit(write, card=stated, datasets=datasets).outcome is Outcome.PASSED
    stated = card.replace("on 120 applications", "on 150 applications")
    [finding] = _audit(write, card=stated, datasets=datasets).findings
    assert finding.message == (
        "the model card states 150 applications of training data (line 12), but the "
        "manifest's training datasets have 160 rows ('train' 120, 'extra' 40)"
    )


def test_the_readme_shows_the_finding_the_tool_writes(write):
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    quoted = readme.split("<!-- training-data-finding -->", 1)[1].split("`")[1]
    card = CARD.replace("on 120 applications", "on 12,500 applications")
    [finding] = _audit(write, card=card).findings
    assert " ".join(quoted.split()) == finding.message


def test_a_malformed_card_datasets_field_is_an_input_error_at_its_line(write):
    card = CARD.replace("  - acme/applicants-2025\n", "  - {name: acme/applicants-2025}\n")
    result = CliRunner().invoke(app, ["audit", str(_write_audit(write, card, TRAINING, POLICY))])
    assert result.exit_code == 2, result.output
    assert "card.md:3:1 (datasets)" in result.stderr
    assert "the model card's 'datasets' must be a list of ids" in result.stderr


def test_without_a_model_card_the_comparison_is_not_made(write):
    manifest = _write_audit(write, CARD, TRAINING, POLICY)
    manifest.write_text(manifest.read_text().replace("model: {card: card.md}\n", ""))
    declared = {rule.id: rule for rule in run_audit(manifest).rules}["DECL-1"]
    assert declared.outcome is Outcome.SKIPPED
    assert declared.reason == "training data not compared: the manifest declares no model card"
