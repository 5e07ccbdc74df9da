"""Predictions and scores from the model: the same numbers as the same predictions given as a
column, whatever the format or the batch size, recorded with the model's sha256; a model that
fails while scoring makes its rules errored."""

from __future__ import annotations

import hashlib
import json
import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from typer.testing import CliRunner

from governance.checks.audit_model import audit_model
from governance.checks.context import CheckContext
from governance.cli.app import app
from governance.data.store import DatasetStore
from governance.manifest import load_manifest
from governance.model.formats import ModelFormat
from governance.model.scoring import ModelScorer
from governance.model.source import ModelSource
from tests.model.conftest import FEATURES, applicants, classifier, onnx_bytes, skops_bytes

runner = CliRunner()
ONNX_OUTPUTS = "  outputs: {prediction: label, score: probabilities}\n"


def _audit(manifest):
    out = manifest.parent / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads((out / "audit.json").read_text())


def _scored(manifest):
    """The example dataset's spec and table as checks read them, scored by the manifest's
    model (every result of the scoring read to its end)."""
    loaded = load_manifest(manifest)
    store = DatasetStore(loaded.manifest.datasets, scorer=ModelScorer(ModelSource(loaded), loaded))
    try:
        return store.spec("applicants"), store.table("applicants").df()
    finally:
        store.close()


def _fairness_numbers(report):
    (rule,) = report["rules"]
    return rule["outcome"], rule["evidence"], rule["findings"]


def test_fairness_from_the_model_equals_fairness_from_the_same_predictions_as_a_column(
    audit_folder,
):
    frame = applicants()
    model = classifier(frame)
    scored = _audit(audit_folder("model.skops", skops_bytes(model)))

    given = frame.assign(
        given=model.predict(frame[FEATURES]),
        given_score=model.predict_proba(frame[FEATURES])[:, 1],
    )
    as_columns = _audit(
        audit_folder(
            "model.skops",
            skops_bytes(model),
            frame=given,
            dataset_lines="    prediction: given\n    score: given_score\n",
        )
    )
    from_model, from_columns = _fairness_numbers(scored), _fairness_numbers(as_columns)
    assert from_model[0] == from_columns[0]
    assert from_model[2] == from_columns[2]
    assert json.dumps(from_model[1]).replace("model_prediction", "given").replace(
        "model_score", "given_score"
    ) == json.dumps(from_columns[1])
    assert scored["model"]["scored"][0]["rows"] == len(frame)
    assert as_columns["model"] is None  # no rule needed the model: it was never read


def test_the_report_binds_the_numbers_to_the_models_sha256_and_the_predictions(audit_folder):
    content = skops_bytes(classifier(applicants()))
    report = _audit(audit_folder("model.skops", content))
    model = report["model"]
    assert model["artifact"] == "model.skops"
    assert model["format"] == "skops"
    assert model["sha256"] == hashlib.sha256(content).hexdigest()
    assert model["features"] == FEATURES
    assert model["pickle_opt_in"] is False
    (scored,) = model["scored"]
    assert scored["prediction_column"] == "model_prediction"
    assert scored["score_column"] == "model_score"
    assert len(scored["predictions_sha256"]) == 64
    artifact = next(i for i in report["inputs"] if i["role"] == "model_artifact")
    assert artifact["sha256"] == model["sha256"]


def test_batches_do_not_change_the_predictions(audit_folder, tmp_path):
    content = skops_bytes(classifier(applicants()))
    whole = _audit(audit_folder("model.skops", content))
    (tmp_path / "audit" / "out").rename(tmp_path / "first")
    batched = _audit(
        audit_folder("model.skops", content, dataset_lines="    from_model: {batch_rows: 7}\n")
    )
    assert whole["model"]["scored"] == batched["model"]["scored"]
    assert whole["rules"] == batched["rules"]


def test_the_onnx_export_gives_the_models_predictions(audit_folder, tmp_path):
    model = classifier(applicants())
    skops_report = _audit(audit_folder("model.skops", skops_bytes(model)))
    (tmp_path / "audit" / "out").rename(tmp_path / "first")
    onnx_report = _audit(audit_folder("model.onnx", onnx_bytes(model), model_lines=ONNX_OUTPUTS))
    assert onnx_report["model"]["format"] == "onnx"
    assert onnx_report["model"]["features"] == FEATURES  # its input names
    assert _fairness_numbers(onnx_report) == _fairness_numbers(skops_report)


def test_a_model_that_fails_while_scoring_makes_its_rules_errored(audit_folder):
    frame = applicants()
    numeric = frame.assign(education=np.arange(len(frame)) % 3)
    model = LogisticRegression().fit(numeric[FEATURES], numeric["hired"])
    manifest = audit_folder("model.skops", skops_bytes(model), frame=frame)  # text education
    out = manifest.parent / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code == 1, result.output
    (rule,) = json.loads((out / "audit.json").read_text())["rules"]
    assert rule["outcome"] == "errored"
    assert "failed while scoring dataset 'applicants'" in rule["reason"]


def test_an_opted_in_pinned_pickle_loads_and_the_opt_in_is_recorded(audit_folder):
    content = pickle.dumps(classifier(applicants()))
    pin = hashlib.sha256(content).hexdigest()
    report = _audit(
        audit_folder("model.pkl", content, model_lines=f"  sha256: '{pin}'\n  allow_pickle: true\n")
    )
    assert report["model"]["format"] == "pickle"
    assert report["model"]["pickle_opt_in"] is True
    assert report["model"]["pickle_scan"].startswith("fickling ")
    assert report["model"]["pickle_scan"].endswith(": LIKELY_UNSAFE")


def test_checks_see_the_model_through_the_audit_resources(audit_folder):
    manifest = audit_folder(
        "model.onnx", onnx_bytes(classifier(applicants())), model_lines=ONNX_OUTPUTS
    )
    loaded = load_manifest(manifest)
    store = DatasetStore(loaded.manifest.datasets)
    try:
        model = audit_model(CheckContext(manifest=loaded, data=store))
    finally:
        store.close()
    assert model.features == tuple(FEATURES)
    assert model.format is ModelFormat.ONNX
    assert model.sha256 == hashlib.sha256((manifest.parent / "model.onnx").read_bytes()).hexdigest()
    assert model.path == (manifest.parent / "model.onnx").resolve()


def test_the_scored_table_reads_like_any_dataset(audit_folder):
    frame = applicants()
    model = classifier(frame)
    manifest = audit_folder("model.skops", skops_bytes(model))
    spec, read = _scored(manifest)
    assert (spec.prediction, spec.score) == ("model_prediction", "model_score")
    assert list(read.columns) == [*frame.columns, "model_prediction", "model_score"]
    assert (read["model_prediction"].to_numpy() == model.predict(frame[FEATURES])).all()
    np.testing.assert_allclose(
        read["model_score"].to_numpy(), model.predict_proba(frame[FEATURES])[:, 1]
    )


def test_a_frame_passed_in_memory_is_scored_and_hashed_as_given(audit_folder):
    import governance

    frame = applicants()
    manifest = audit_folder("model.skops", skops_bytes(classifier(frame)))
    from_file = governance.audit(manifest)
    in_memory = governance.audit(manifest, datasets={"applicants": frame})
    assert in_memory.model is not None and from_file.model is not None
    assert in_memory.model.scored == from_file.model.scored
    assert in_memory.rules[0].evidence == from_file.rules[0].evidence
    # the frame is hashed as given, without the model's columns
    unscored = audit_folder(
        "model.skops", skops_bytes(classifier(frame)), dataset_lines="    prediction: hired\n"
    )
    plain = governance.audit(unscored, datasets={"applicants": frame})
    digests = [
        {i.path: i.sha256 for i in result.inputs}["memory:applicants"]
        for result in (in_memory, plain)
    ]
    assert digests[0] == digests[1]


def test_the_score_is_the_probability_of_the_declared_positive_label(audit_folder):
    frame = applicants()
    frame["hired"] = np.where(frame["hired"] == 1, "hired", "rejected")  # "hired" sorts first
    model = classifier(frame)
    manifest = audit_folder(
        "model.skops",
        skops_bytes(model),
        frame=frame,
        dataset_lines="    positive_label: hired\n    from_model: true\n",
    )
    _, read = _scored(manifest)
    assert list(model.classes_) == ["hired", "rejected"]
    np.testing.assert_allclose(
        read["model_score"].to_numpy(), model.predict_proba(frame[FEATURES])[:, 0]
    )


@pytest.mark.parametrize("rows", [400, 40])  # 40: the first rows are all "rejected"
def test_an_onnx_score_is_the_probability_of_the_declared_positive_label(audit_folder, rows):
    frame = applicants()
    frame["hired"] = np.where(frame["hired"] == 1, "hired", "rejected")  # "hired" sorts first
    model = classifier(frame)
    scored = frame.sort_values("experience").head(rows).reset_index(drop=True)
    manifest = audit_folder(
        "model.onnx",
        onnx_bytes(model),
        frame=scored,
        model_lines=ONNX_OUTPUTS,
        dataset_lines="    positive_label: hired\n    from_model: {batch_rows: 16}\n",
    )
    _, read = _scored(manifest)
    assert list(model.classes_) == ["hired", "rejected"]
    # the graph's probability of "hired" is its first column, not its last
    np.testing.assert_allclose(
        read["model_score"].to_numpy(), model.predict_proba(scored[FEATURES])[:, 0], rtol=1e-5
    )


def test_a_failing_model_errors_the_rules_on_its_predictions_not_the_pii_scan(audit_folder):
    from tests.model.conftest import FAIRNESS_POLICY

    policy = FAIRNESS_POLICY + (
        "  - id: PII-1\n    title: No e-mail addresses\n    severity: high\n"
        "    pii: {datasets: '*', entities: [EMAIL_ADDRESS]}\n"
    )
    frame = applicants()
    numeric = frame.assign(education=np.arange(len(frame)) % 3)
    model = LogisticRegression().fit(numeric[FEATURES], numeric["hired"])
    manifest = audit_folder("model.skops", skops_bytes(model), frame=frame, policy=policy)
    out = manifest.parent / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json"])
    assert result.exit_code == 1, result.output
    rules = {r["id"]: r for r in json.loads((out / "audit.json").read_text())["rules"]}
    assert rules["FAIR-1"]["outcome"] == "errored"
    assert rules["PII-1"]["outcome"] == "passed"
    scanned = json.dumps(rules["PII-1"]["evidence"])
    assert "education" in scanned and "model_prediction" not in scanned


def test_a_dataset_counted_before_it_is_scored_still_scores(audit_folder):
    manifest = audit_folder("model.skops", skops_bytes(classifier(applicants())))
    loaded = load_manifest(manifest)
    source = ModelSource(loaded)
    store = DatasetStore(loaded.manifest.datasets, scorer=ModelScorer(source, loaded))
    try:
        assert store.row_count("applicants") == 400  # as a PII rule does first
        assert "model_prediction" in store.column_types("applicants")
    finally:
        store.close()
