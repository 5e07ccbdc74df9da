"""The model check inside a whole audit: rules of every sub-check written in a policy, their
evidence tables shown by every report format, and mistakes in the policy, the manifest or the
model card stopping the audit with exit 2, naming file and key, and writing nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import skops.io
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from typer.testing import CliRunner

from governance.cli.app import app
from tests.model.model_check import applicants

runner = CliRunner()

POLICY = """\
policy: model-rules
extends: [builtin:model-hygiene]
rules:
  - id: MODEL-PROXY-001
    override: true
    title: No input is a proxy of race or sex
    severity: high
    controls: ["eu-ai-act:art10(2)(f)"]
    model:
      proxies: {dataset: applicants, max_nmi: 0.25}
  - id: FLOOR-TPR
    title: True positive rate at least 0.3 in every group
    severity: medium
    model:
      performance_floor: {metric: true_positive_rate, min: 0.3, intersectional: true}
"""

CARD = """\
---
license: mit
model-index:
  - name: screen
    results:
      - dataset: {name: applicants, split: test}
        metrics:
          - {type: accuracy, value: 0.99}
          - {type: roc_auc, value: 0.5}
---
# Card
"""


def _audit(folder: Path, *, policy: str = POLICY, card: str = CARD, features: str = "") -> Path:
    frame = applicants(2_000, seed=31)
    inputs = ["experience", "skill", "zip_code", "race"]  # race among them: prohibited
    encode = ColumnTransformer(
        [("num", "passthrough", inputs[:2]), ("cat", OneHotEncoder(), inputs[2:])]
    )
    model = Pipeline([("encode", encode), ("classify", LogisticRegression(max_iter=300))])
    model.fit(frame[inputs], frame["y"])
    frame["score"] = model.predict_proba(frame[inputs])[:, 1].round(4)
    frame["p"] = (frame["score"] >= 0.5).astype(int)
    frame.to_csv(folder / "applicants.csv", index=False)
    skops.io.dump(model, folder / "model.skops")
    digest = hashlib.sha256((folder / "model.skops").read_bytes()).hexdigest()
    (folder / "card.md").write_text(card, encoding="utf-8")
    (folder / "policy.yaml").write_text(policy, encoding="utf-8")
    manifest = folder / "audit.yaml"
    manifest.write_text(
        "name: model-audit\n"
        "model:\n  card: card.md\n  artifact: model.skops\n"
        f"  sha256: {digest}\n"
        f"  features: [{features or 'experience, skill, zip_code, race'}]\n"
        "datasets:\n  applicants:\n    path: applicants.csv\n    label: y\n"
        "    prediction: p\n    score: score\n    sensitive_features: [race, sex]\n"
        "policies: [policy.yaml]\n",
        encoding="utf-8",
    )
    return manifest


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    manifest = _audit(folder)
    out = folder / "out"
    result = runner.invoke(
        app,
        ["audit", str(manifest), "--out", str(out), "--format", "json,md,html,pdf,sarif,junit"],
    )
    assert result.exit_code == 1, result.output + result.stderr
    return out


def test_each_sub_check_reports_its_outcome(reports):
    rules = {rule["id"]: rule for rule in json.loads((reports / "audit.json").read_text())["rules"]}
    outcomes = {rule_id: rule["outcome"] for rule_id, rule in rules.items()}
    assert outcomes == {
        "MODEL-INPUT-001": "failed",  # race is an input
        "MODEL-PROXY-001": "failed",  # zip_code stands in for race
        "MODEL-ART-001": "passed",  # skops, pinned, matching
        "MODEL-CLAIM-001": "failed",  # accuracy 0.99 is not what the data shows
        "MODEL-PERF-001": rules["MODEL-PERF-001"]["outcome"],
        "FLOOR-TPR": rules["FLOOR-TPR"]["outcome"],
    }
    claims = rules["MODEL-CLAIM-001"]
    assert [f["message"].split(",")[0] for f in claims["findings"]] == [
        "model card claims accuracy 0.99 on 'applicants'"
    ]
    assert claims["evidence"]["kind"] == "model" and claims["evidence"]["check"] == "claims"
    floor = rules["MODEL-PERF-001"]["findings"] + rules["FLOOR-TPR"]["findings"]
    for finding in floor:  # the interval is shown, not masked as if it were a number range
        assert "Wilson interval [0." in finding["message"], finding["message"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("summary.md", "model input feature 'zip\\_code' predicts sensitive feature 'race'"),
        ("report.html", "Proxies: normalised mutual information"),
        ("report.sarif", "model input feature 'zip_code' predicts sensitive feature 'race'"),
        ("junit.xml", "model input feature 'zip_code' predicts"),
    ],
)
def test_every_format_shows_the_model_evidence(reports, name, expected):
    text = (reports / name).read_text(encoding="utf-8")
    assert expected in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_shows_the_proxy_table(reports):
    text = subprocess.run(
        ["pdftotext", str(reports / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Proxies: normalised mutual information" in text
    assert "Model card claims measured on dataset applicants" in text


@pytest.mark.parametrize(
    ("change", "located", "problem"),
    [
        (
            {"policy": POLICY.replace("{dataset: applicants, max_nmi: 0.25}", "{max_nmi: 1.5}")},
            "policy.yaml:10:",
            "(rules.0.model.proxies.max_nmi)",
        ),
        (
            {"policy": POLICY.replace("max_nmi: 0.25}", "max_nmi: 0.25}\n      artifact: {}")},
            "policy.yaml:",
            "a model check needs exactly one of",
        ),
        (
            {"policy": POLICY.replace("min: 0.3,", "minimum: 0.3,")},
            "policy.yaml:",
            "unknown key 'minimum'",
        ),
        (
            {"card": CARD.replace("type: roc_auc", "type: bleu")},
            "card.md:9:",
            "(model-index.0.results.0.metrics.1.type)",
        ),
        (
            {"features": "experience, tenure, postcode"},
            "audit.yaml:6:3 (model.features)",
            "'model.features' lists experience, tenure, postcode but the model takes "
            "experience, skill, zip_code, race",
        ),
    ],
)
def test_bad_input_exits_2_naming_file_and_key_and_writes_nothing(
    tmp_path, change, located, problem
):
    manifest = _audit(tmp_path, **change)
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out), "--format", "json,md"])
    assert result.exit_code == 2, result.output + result.stderr
    assert located in result.stderr and problem in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
