"""Datasets passed in memory are recorded with a digest of what was audited (the frame, as
DuckDB reads it), never the sha256 of a file the manifest names for them."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import governance
from governance.data import frame_digest
from governance.engine.input_files import hash_manifest_inputs
from governance.errors import InputError
from governance.signing.attestation import AttestedAudit
from governance.signing.verification.input_checks import check_inputs
from governance.signing.verification.outcome import CheckStatus

POLICY = """\
policy: memory
rules:
  - id: FAIR-1
    title: Selection rates are reported
    severity: info
    fairness:
      dataset: applicants
      metric: selection_rate
      sensitive_features: [sex]
"""

FILE_ROWS = "sex,hired,predicted\nF,1,1\nM,0,0\nF,0,1\nM,1,1\n"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A manifest whose dataset has a file (`file.csv`), which the frames must replace."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "file.csv").write_text(FILE_ROWS, encoding="utf-8")
    path = tmp_path / "audit.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: memory
            datasets:
              applicants: {path: file.csv, label: hired, prediction: predicted}
            policies: [policy.yaml]
            """
        ),
        encoding="utf-8",
    )
    return path


def _frame(rows: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["F", "M"] * (rows // 2),
            "hired": [1, 0, 0, 1] * (rows // 4),
            "predicted": [1, 1, 0, 0] * (rows // 4),
        }
    )


def _dataset_inputs(result: governance.AuditResult) -> dict[str, tuple[str, int]]:
    return {i.path: (i.sha256, i.size) for i in result.inputs if i.role == "dataset"}


def test_the_frame_is_recorded_not_the_manifest_file(manifest):
    file_digest = hashlib.sha256((manifest.parent / "file.csv").read_bytes()).hexdigest()
    result = governance.audit(manifest, datasets={"applicants": _frame()})
    recorded = _dataset_inputs(result)
    assert list(recorded) == ["memory:applicants"]
    digest, size = recorded["memory:applicants"]
    assert digest != file_digest and size > 0
    assert all(i.sha256 != file_digest for i in result.inputs)
    # the evidence is about the 40 rows of the frame, not the 4 of the file
    assert '"rows": 40' in result.model_dump_json(indent=1)


def test_the_digest_is_that_of_the_arrow_ipc_stream_of_the_columns(manifest):
    frame = _frame()
    table = pa.table(
        {
            "sex": pa.array(frame["sex"].tolist(), pa.string()),
            "hired": pa.array(frame["hired"].tolist(), pa.int64()),
            "predicted": pa.array(frame["predicted"].tolist(), pa.int64()),
        }
    )
    result = governance.audit(manifest, datasets={"applicants": table})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    expected = sink.getvalue().to_pybytes()
    assert _dataset_inputs(result)["memory:applicants"] == (
        hashlib.sha256(expected).hexdigest(),
        len(expected),
    )


def test_same_data_gives_the_same_digest_whatever_the_frame_kind_or_chunking(manifest, monkeypatch):
    monkeypatch.setattr(frame_digest, "BATCH_ROWS", 7)  # several batches, cut mid-chunk
    frame = _frame(40).set_axis(range(100, 140))  # a pandas index is not audited
    table = pa.Table.from_pandas(_frame(40), preserve_index=False)
    chunked = pa.concat_tables([table.slice(0, 3), table.slice(3, 20), table.slice(23)])

    def digest(data: object) -> tuple[str, int]:
        result = governance.audit(manifest, datasets={"applicants": data})
        return _dataset_inputs(result)["memory:applicants"]

    assert digest(frame) == digest(table) == digest(chunked)


def test_any_change_to_the_audited_data_changes_the_digest(manifest):
    def digest(frame: pd.DataFrame) -> str:
        return _dataset_inputs(governance.audit(manifest, datasets={"applicants": frame}))[
            "memory:applicants"
        ][0]

    base = digest(_frame())
    flipped = _frame()
    flipped.loc[3, "predicted"] = 1
    assert digest(flipped) != base
    assert digest(_frame()[["predicted", "hired", "sex"]]) != base  # column order counts


def test_unknown_dataset_name_is_an_error(manifest):
    with pytest.raises(InputError) as caught:
        governance.audit(manifest, datasets={"applicants": _frame(), "typo": _frame()})
    assert "'typo'" in caught.value.message and "does not declare" in caught.value.message
    assert caught.value.location is not None and caught.value.location.file == manifest


def test_a_value_that_is_not_a_frame_is_an_input_error(manifest):
    with pytest.raises(InputError, match="passes a list for dataset 'applicants'"):
        governance.audit(manifest, datasets={"applicants": [1, 2, 3]})


def test_verify_inputs_compares_the_files_and_leaves_in_memory_datasets_out(manifest):
    result = governance.audit(manifest, datasets={"applicants": _frame()})
    attested = AttestedAudit(
        subjects={},
        inputs={i.path: i.sha256 for i in result.inputs},
        name=result.audit.name,
        verdict=result.verdict.value,
        fail_on=result.audit.fail_on.value,
        failed_rules=result.counts["failed"],
        created_at="2026-11-26T00:00:00Z",
    )
    rehashed = hash_manifest_inputs(manifest, in_memory=frozenset({"applicants"}))
    assert [i.path for i in rehashed] == ["audit.yaml", "policy.yaml"]
    check = check_inputs(manifest, attested)
    assert check.status is CheckStatus.PASSED, check.detail
    assert check.detail == (
        "2 input files unchanged since the audit; "
        "audited in memory, not re-hashed: memory:applicants"
    )
    (manifest.parent / "policy.yaml").write_text(POLICY + "\n", encoding="utf-8")
    assert check_inputs(manifest, attested).detail == "policy.yaml changed"
