"""Artifact hygiene on real files: a skops archive and an ONNX export are safe formats, told by
content; a pickle or joblib dump is not, whatever its extension; the size and the pinned sha256
are checked."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
import skops.io
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression

from governance.checks.model.artifact_format import sniff_format
from governance.checks.model.spec import ArtifactFormat
from governance.errors import InputError
from tests.model.model_check import evidence_of, run_model


@pytest.fixture(scope="module")
def model() -> LogisticRegression:
    return LogisticRegression().fit([[0.0, 1.0], [1.0, 0.0], [0.5, 0.2], [0.1, 0.9]], [0, 1, 1, 0])


@pytest.fixture(scope="module")
def files(tmp_path_factory, model) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("artifacts")
    skops.io.dump(model, folder / "model.skops")
    onnx = to_onnx(model, np.array([[0.0, 1.0]], dtype=np.float32), target_opset=17)
    (folder / "model.onnx").write_bytes(onnx.SerializeToString())
    (folder / "model.pkl").write_bytes(pickle.dumps(model))
    (folder / "pickle-named.onnx").write_bytes(pickle.dumps(model))
    joblib.dump(model, folder / "model.joblib", compress=3)
    joblib.dump(model, folder / "plain.joblib")
    data = (folder / "model.onnx").read_bytes()
    (folder / "truncated.onnx").write_bytes(data[: len(data) // 2])
    (folder / "notes.txt").write_text("not a model\n", encoding="utf-8")
    return {path.name: path for path in folder.iterdir()}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("model.skops", ArtifactFormat.SKOPS),
        ("model.onnx", ArtifactFormat.ONNX),
        ("model.pkl", ArtifactFormat.PICKLE),
        ("pickle-named.onnx", ArtifactFormat.PICKLE),
        ("model.joblib", ArtifactFormat.PICKLE),
        ("plain.joblib", ArtifactFormat.PICKLE),
        ("truncated.onnx", ArtifactFormat.UNKNOWN),
        ("notes.txt", ArtifactFormat.UNKNOWN),
    ],
)
def test_format_is_told_by_content(files, name, expected):
    assert sniff_format(files[name]).format is expected


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(path: Path, rule: dict | None = None, **model):
    return run_model(
        None, {"artifact": rule or {}}, model={"artifact": str(path), **model}, folder=path.parent
    )


@pytest.mark.parametrize("name", ["model.skops", "model.onnx"])
def test_a_safe_artifact_with_a_matching_pin_passes(files, name):
    report = _check(files[name], sha256=_sha(files[name]))
    assert report.findings == ()
    artifact = evidence_of(report).artifact
    assert artifact is not None and artifact.pinned_in == "manifest"
    assert artifact.sha256 == _sha(files[name]) and artifact.path == name


def test_a_pickle_renamed_onnx_fails_as_unsafe(files):
    path = files["pickle-named.onnx"]
    (finding,) = _check(path, sha256=_sha(path)).findings
    assert "pickle protocol" in finding.message
    assert "run arbitrary code when loaded" in finding.message


def test_an_unpinned_oversized_artifact_with_a_wrong_pin_fails_each_way(files):
    path = files["model.skops"]
    messages = [f.message for f in _check(path, {"max_megabytes": 0.000001}).findings]
    assert any("over 1e-06 MB" in m for m in messages)
    assert any("sha256 is not pinned" in m for m in messages)
    report = _check(path, sha256="0" * 64)
    (wrong,) = report.findings
    assert "sha256 does not match the one pinned in the manifest" in wrong.message
    artifact = evidence_of(report).artifact
    assert artifact is not None
    assert (artifact.sha256, artifact.pinned_sha256) == (_sha(path), "0" * 64)


def test_the_pin_may_sit_in_the_model_cards_front_matter(files, tmp_path):
    path = files["model.onnx"]
    card = path.parent / "card.md"
    card.write_text(f"---\nlicense: mit\nsha256: {_sha(path)}\n---\n# Card\n", encoding="utf-8")
    report = _check(path, card=str(card))
    assert report.findings == ()
    assert evidence_of(report).artifact.pinned_in == "model card"  # type: ignore[union-attr]
    card.write_text("---\nsha256: 12ab\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        _check(path, card=str(card))
    assert "card.md:2:" in raised.value.diagnostics() and "(sha256)" in raised.value.diagnostics()


def test_no_declared_artifact_is_a_finding():
    report = run_model(None, {"artifact": {}})
    assert [f.message for f in report.findings] == [
        "no model artifact is declared in the manifest ('model.artifact')"
    ]


def test_two_different_pins_are_the_users_mistake(files):
    path = files["model.skops"]
    card = path.parent / "pinned-card.md"
    card.write_text(f"---\nsha256: {'ab' * 32}\n---\n# Card\n", encoding="utf-8")
    with pytest.raises(InputError, match="pin different digests"):
        _check(path, card=str(card), sha256=_sha(path))


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"allowed_formats": ["unknown"]}, "'unknown' cannot be allowed"),
        ({"allowed_formats": []}, "'allowed_formats' is empty"),
        ({"max_megabytes": 0}, "greater than 0"),
    ],
)
def test_bad_artifact_settings_are_refused(rule, problem):
    from pydantic import ValidationError

    from governance.checks.model.spec import ModelCheckSpec

    with pytest.raises(ValidationError, match=problem):
        ModelCheckSpec.model_validate({"artifact": rule})
