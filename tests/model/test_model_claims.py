"""Claims against measurements: a model card's `model-index` results are measured again on the
audit's dataset, with scikit-learn's numbers, and a claim better than the measurement fails."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from governance.errors import CheckSkipped, InputError
from tests.model.model_check import evidence_of, run_model

SKLEARN = {
    "accuracy": lambda f: accuracy_score(f.y, f.p),
    "f1": lambda f: f1_score(f.y, f.p),
    "precision": lambda f: precision_score(f.y, f.p),
    "recall": lambda f: recall_score(f.y, f.p),
    "roc_auc": lambda f: roc_auc_score(f.y, f.score),
}


def _frame(rows: int = 3_000) -> pd.DataFrame:
    rng = np.random.default_rng(9)
    y = (rng.random(rows) < 0.4).astype(int)
    score = np.round(np.clip(rng.normal(0.4 + 0.25 * y, 0.2), 0, 1), 2)  # many ties
    return pd.DataFrame({"y": y, "score": score, "p": (score >= 0.5).astype(int)})


def _card(folder, metrics: str, dataset: str = "{name: acme/applicants, split: test}") -> dict:
    card = folder / "card.md"
    card.write_text(
        "---\nlicense: mit\nmodel-index:\n  - name: screen\n    results:\n"
        f"      - dataset: {dataset}\n        metrics:\n{metrics}---\n# Card\n",
        encoding="utf-8",
    )
    return {"card": str(card)}


def _metrics(values: dict[str, float]) -> str:
    return "".join(f"          - {{type: {k}, value: {v}}}\n" for k, v in values.items())


def test_measurements_equal_scikit_learn_and_honest_claims_pass(tmp_path):
    frame = _frame()
    truth = {metric: float(measure(frame)) for metric, measure in SKLEARN.items()}
    model = _card(tmp_path, _metrics(truth))
    report = run_model(
        frame, {"claims": {"tolerance": 0.0}}, dataset={"score": "score"}, model=model
    )
    rows = {row.metric: row for row in evidence_of(report).claims}
    for metric, expected in truth.items():
        assert rows[metric].measured == pytest.approx(expected, abs=1e-12), metric
        assert rows[metric].card_dataset == "acme/applicants"
        assert rows[metric].split == "test"
    assert report.findings == ()
    for metric in ("accuracy", "precision", "recall", "roc_auc"):
        row = rows[metric]
        assert row.ci_low is not None and row.ci_high is not None
        assert row.ci_low < (row.measured or 0) < row.ci_high
    assert rows["accuracy"].interval == "Wilson"
    assert rows["roc_auc"].interval == "Hanley-McNeil"


def test_a_claim_better_than_the_measurement_fails_with_both_numbers(tmp_path):
    frame = _frame()
    measured = accuracy_score(frame.y, frame.p)
    model = _card(tmp_path, _metrics({"accuracy": round(measured + 0.05, 3), "f1": 0.01}))
    report = run_model(
        frame, {"claims": {"tolerance": 0.02}}, dataset={"score": "score"}, model=model
    )
    (finding,) = report.findings
    assert finding.message.startswith(
        f"model card claims accuracy {round(measured + 0.05, 3):g} on 'acme/applicants', "
        f"but dataset 'data' measures {measured:.3f} (Wilson interval "
    )
    assert finding.location is not None and finding.location.path.endswith("card.md")
    assert [row.failing for row in evidence_of(report).claims] == [True, False]


def test_results_are_selected_by_card_dataset_and_split(tmp_path):
    model = _card(tmp_path, _metrics({"accuracy": 0.99}), "{type: other, split: validation}")
    frame = _frame()
    for rule in ({"card_dataset": "acme/applicants"}, {"split": "test"}):
        with pytest.raises(CheckSkipped) as skipped:
            run_model(frame, {"claims": rule}, model=model)
        assert skipped.value.reason.startswith("the model card's model-index has no result ")
    report = run_model(frame, {"claims": {"split": "validation"}}, model=model)
    assert len(report.findings) == 1


def test_an_unknown_metric_names_the_card_line_and_key(tmp_path):
    model = _card(tmp_path, _metrics({"accuracy": 0.7, "bleu": 0.3}))
    with pytest.raises(InputError) as raised:
        run_model(_frame(), {"claims": {}}, model=model)
    message = raised.value.diagnostics()
    assert "card.md:9:" in message
    assert "(model-index.0.results.0.metrics.1.type)" in message
    assert "model-index names metric 'bleu', which the audit cannot measure" in message


_EXACTLY_TOLERANCE_APART = {
    # 17 of 20 right: 0.85; claimed 0.9 - 0.85 is 0.05000000000000004 in floats
    "accuracy": (0.9, 0.05, {"y": [1] * 10 + [0] * 10, "p": [1] * 7 + [0] * 3 + [0] * 10}),
    # 3 of 10 positives found: 0.3; claimed 0.4 - 0.3 is 0.10000000000000003
    "recall": (0.4, 0.1, {"y": [1] * 10 + [0] * 10, "p": [1] * 3 + [0] * 17}),
    # 13 of 20 (positive, negative) pairs ranked right: 0.65; 0.8 - 0.65 is 0.15000000000000002
    "roc_auc": (0.8, 0.15, {"y": [1] * 4 + [0] * 5, "score": [9, 8, 3, 1, 7, 6, 5, 2, 0]}),
}


@pytest.mark.parametrize("metric", list(_EXACTLY_TOLERANCE_APART))
def test_a_claim_exactly_the_tolerance_above_the_measurement_passes(tmp_path, metric):
    claimed, tolerance, columns = _EXACTLY_TOLERANCE_APART[metric]
    frame = pd.DataFrame(columns)
    if "p" not in frame:
        frame["p"] = (frame.score > 4).astype(int)
    frame["score"] = frame.get("score", frame.p)
    assert claimed - SKLEARN[metric](frame) > tolerance  # as floats, it looks over
    model = _card(tmp_path, _metrics({metric: claimed}))
    report = run_model(
        frame, {"claims": {"tolerance": tolerance}}, dataset={"score": "score"}, model=model
    )
    assert report.findings == ()
