"""Every model the audit must refuse: exit 2, one message naming the artifact and the
manifest's key, nothing written, and no code from the artifact ever run."""

from __future__ import annotations

import collections
import hashlib
import io
import json
import re
import struct
import zipfile

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from tests.conftest import audit_refused
from tests.model.conftest import (
    applicants,
    classifier,
    malicious_pickle,
    onnx_bytes,
    regressor,
    skops_bytes,
)

runner = CliRunner()


def test_a_malicious_pickle_never_runs_on_the_default_path(audit_folder, tmp_path):
    marker = tmp_path / "payload-ran"
    manifest = audit_folder("model.pkl", malicious_pickle(marker))
    message = audit_refused(manifest, "audit.yaml:", "(model.artifact)", "model.pkl")
    assert "runs any code it holds" in message
    assert "allow_pickle" in message
    assert not marker.exists()


def test_a_pickle_renamed_skops_is_stillaudit_refused(audit_folder, tmp_path):
    marker = tmp_path / "payload-ran"
    manifest = audit_folder("model.skops", malicious_pickle(marker))
    audit_refused(manifest, "(model.artifact)", "it is a pickle")
    assert not marker.exists()


def test_an_opted_in_pickle_with_a_wrong_pin_is_never_loaded(audit_folder, tmp_path):
    marker = tmp_path / "payload-ran"
    manifest = audit_folder(
        "model.pkl",
        malicious_pickle(marker),
        model_lines=f"  sha256: '{'0' * 64}'\n  allow_pickle: true\n",
    )
    audit_refused(manifest, "(model.sha256)", "not the pinned", "model.pkl")
    assert not marker.exists()


def test_an_opted_in_pinned_malicious_pickle_is_stopped_by_the_scan(audit_folder, tmp_path):
    marker = tmp_path / "payload-ran"
    content = malicious_pickle(marker)
    manifest = audit_folder(
        "model.pkl",
        content,
        model_lines=f"  sha256: '{hashlib.sha256(content).hexdigest()}'\n  allow_pickle: true\n",
    )
    audit_refused(manifest, "(model.allow_pickle)", "pickle scan (fickling", "MALICIOUS")
    assert not marker.exists()


def test_allow_pickle_without_a_pin_is_refused(audit_folder):
    manifest = audit_folder("model.pkl", b"\x80\x04N.", model_lines="  allow_pickle: true\n")
    audit_refused(manifest, "(model)", "needs the artifact's 'sha256' pinned")


def test_an_unknown_format_is_refused(audit_folder):
    manifest = audit_folder("model.bin", b"\x00\x01weights")
    message = audit_refused(
        manifest, "(model.artifact)", "model.bin", "unknown model format", ".onnx"
    )
    # the artifact is at fault, not the rule that first needed the model
    assert "FAIR-1" not in message


@pytest.mark.parametrize("artifact", ["model.skops", "model.onnx"])
def test_a_truncated_model_is_refused(audit_folder, artifact):
    model = classifier(applicants())
    whole = skops_bytes(model) if artifact.endswith("skops") else onnx_bytes(model)
    manifest = audit_folder(artifact, whole[: len(whole) // 2])
    message = audit_refused(manifest, "(model.artifact)", artifact)
    assert "truncated" in message or "not a readable" in message


def test_a_skops_model_with_untrusted_types_is_refused_until_listed(audit_folder):
    model = classifier(applicants())
    model.note = collections.Counter(reviewed=1)  # a type skops does not trust by default
    manifest = audit_folder("model.skops", skops_bytes(model))
    audit_refused(
        manifest, "(model.trusted_types)", "does not trust by default: collections.Counter"
    )
    listed = audit_folder(
        "model.skops", skops_bytes(model), model_lines="  trusted_types: [collections.Counter]\n"
    )
    result = runner.invoke(app, ["audit", str(listed), "--out", str(listed.parent / "out")])
    assert result.exit_code in (0, 1), result.output


def _declaring(archive: bytes, member: str, size: int) -> bytes:
    """`archive` with the uncompressed size its zip directory declares for `member` set to
    `size`: what a zip bomb's directory says, without writing its gigabytes."""
    name = member.encode()
    at = next(
        found.start()
        for found in re.finditer(re.escape(b"PK\x01\x02"), archive)
        if archive[found.start() + 46 : found.start() + 46 + len(name)] == name
    )
    return archive[: at + 24] + struct.pack("<I", size) + archive[at + 28 :]


def test_a_skops_zip_bomb_is_refused_before_it_is_unpacked(audit_folder):
    with zipfile.ZipFile(io.BytesIO(skops_bytes(classifier(applicants())))) as original:
        schema = json.loads(original.read("schema.json"))
    pending, arrays = [schema], []
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            arrays += [node] if node.get("__loader__") == "NdArrayNode" else []
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    assert len(arrays) >= 4
    for node in arrays:  # every array node names one member...
        node["file"] = "zeros.npy"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("schema.json", json.dumps(schema))
        archive.writestr("zeros.npy", bytes(1024))
    # ...of a size under the limit, which the nodes together pass: 2.3 GiB from 30 KB.
    each = (2 * 1024**3) // len(arrays) + 32 * 1024**2
    bomb = _declaring(buffer.getvalue(), "zeros.npy", each)
    assert len(bomb) < 50_000
    message = audit_refused(
        audit_folder("model.skops", bomb), "(model.artifact)", "model.skops", "zip bomb"
    )
    assert "more than the limit of 2 GiB" in message


def test_a_dataset_lacking_the_models_inputs_is_refused_naming_them(audit_folder):
    frame = applicants().drop(columns=["education"])
    manifest = audit_folder("model.skops", skops_bytes(classifier(applicants())), frame=frame)
    audit_refused(
        manifest,
        "(datasets.applicants.from_model)",
        "the model's input features education are not columns",
    )


def test_declared_features_that_differ_from_the_models_areaudit_refused(audit_folder):
    manifest = audit_folder(
        "model.skops",
        skops_bytes(classifier(applicants())),
        model_lines="  features: [education, experience]\n",
    )
    audit_refused(manifest, "(model.features)", "but the model takes experience, education")


def test_non_binary_predictions_for_a_binary_rule_areaudit_refused(audit_folder):
    manifest = audit_folder("model.skops", skops_bytes(regressor(applicants())))
    audit_refused(
        manifest, "model_prediction", "predictions of the manifest's model", "model.artifact"
    )


def test_an_onnx_model_with_several_outputs_and_none_named_is_refused(audit_folder):
    manifest = audit_folder("model.onnx", onnx_bytes(classifier(applicants())))
    audit_refused(manifest, "(model.outputs)", "2 outputs (label, probabilities)", "names none")


def test_an_onnx_output_that_does_not_exist_is_refused(audit_folder):
    manifest = audit_folder(
        "model.onnx",
        onnx_bytes(classifier(applicants())),
        model_lines="  outputs: {prediction: predicted_label}\n",
    )
    audit_refused(manifest, "(model.outputs)", "no output 'predicted_label'")


def test_an_onnx_model_reading_an_external_file_is_refused(audit_folder):
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.zeros((1,), dtype=np.float32), name="w")
    weight.data_location = TensorProto.EXTERNAL
    weight.ClearField("raw_data")
    for key, value in (("location", "../data.csv"), ("length", "4")):
        entry = weight.external_data.add()
        entry.key, entry.value = key, value
    graph = helper.make_graph(
        [helper.make_node("Add", ["experience", "w"], ["y"])],
        "g",
        [helper.make_tensor_value_info("experience", TensorProto.FLOAT, [None, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    manifest = audit_folder("model.onnx", model.SerializeToString())
    message = audit_refused(manifest, "(model.artifact)", "not a readable ONNX model")
    assert "ONNXRuntimeError" not in message


def _identity_onnx(input_name: bytes, node_input: bytes = b"experience") -> bytes:
    """A one-node ONNX graph whose input is named `input_name` and whose node reads
    `node_input` (any bytes, as a file may hold; each as long as the name it replaces)."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["node_input"], ["y"])],
        "g",
        [helper.make_tensor_value_info("experience", TensorProto.FLOAT, [None, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    serialized = model.SerializeToString()
    return serialized.replace(b"node_input", node_input).replace(b"experience", input_name)


def test_an_onnx_model_with_names_that_are_not_utf8_is_refused(audit_folder):
    # onnxruntime loads the graph; its input's name fails as it is read
    manifest = audit_folder("model.onnx", _identity_onnx(b"exp\xc0rience"))
    message = audit_refused(manifest, "(model.artifact)", "not a readable ONNX model")
    assert len(message.strip().splitlines()) == 1, message


def test_onnxruntime_prints_nothing_when_it_refuses_a_model(audit_folder):
    # the node reads a tensor nothing produces, named with a byte that is not UTF-8: the
    # refusal's own message cannot be read, and unless told not to, onnxruntime prints a
    # banner to standard output and tries again
    manifest = audit_folder("model.onnx", _identity_onnx(b"experience", b"node\xc0input"))
    message = audit_refused(manifest, "(model.artifact)", "not a readable ONNX model")
    assert "EP Error" not in message and "*****" not in message
