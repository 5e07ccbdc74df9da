"""How dataset files are read: Parquet in place (only the columns a query names), text files
parsed once, group columns as written, and a file damaged where only a check reads it still a
clear input error."""

from __future__ import annotations

import struct
import textwrap
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.evidence import FairnessEvidence
from governance.checks.fairness.spec import FairnessSpec
from governance.cli.app import app
from governance.data.store import DatasetStore
from governance.errors import InputError
from governance.manifest import DatasetSpec

runner = CliRunner()


def _groups(path: Path, features: list[str], **declared: object) -> list[list[str]]:
    """The group labels of each feature set the fairness check reports on `path`."""
    dataset = DatasetSpec.model_validate(
        {"path": path, "label": "y", "prediction": "p", **declared}
    )
    store = DatasetStore({"data": dataset})
    rule = FairnessSpec.model_validate(
        {"dataset": "data", "metric": "selection_rate", "sensitive_features": features}
    )
    try:
        report = FairnessCheck().run(rule, CheckContext(manifest=None, data=store))  # type: ignore[arg-type]
    finally:
        store.close()
    assert isinstance(report.evidence, FairnessEvidence)
    return [[g.group for g in s.rates[0].groups] for s in report.evidence.feature_sets]


def test_a_csv_group_column_of_only_f_is_read_as_written(tmp_path):
    # DuckDB's sniffer reads a column holding only F (or T) as BOOLEAN: the group was `False`.
    path = tmp_path / "data.csv"
    rows = ["sex,site,y,p"] + [f"F,0{i % 2}139,{i % 2},{i // 2 % 2}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n")
    assert _groups(path, ["sex", "site"], sensitive_features=["sex", "site"]) == [
        ["sex=F"],
        ["site=00139", "site=01139"],
    ]


def test_a_csv_identifier_column_keeps_its_leading_zeros(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("zip,y\n02139,1\n00501,0\n")
    store = DatasetStore(
        {"d": DatasetSpec.model_validate({"path": path, "pii_columns": {"zip": "US_ZIP"}})}
    )
    assert store.column_types("d")["zip"] == "VARCHAR"
    assert store.query("d", lambda t: f"SELECT zip FROM {t} ORDER BY zip") == [
        ("00501",),
        ("02139",),
    ]


def test_parquet_is_queried_in_place_and_text_is_loaded_once(tmp_path):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    frame.to_parquet(tmp_path / "data.parquet")
    frame.to_csv(tmp_path / "data.csv", index=False)
    store = DatasetStore(
        {
            "pq": DatasetSpec(path=tmp_path / "data.parquet"),
            "csv": DatasetSpec(path=tmp_path / "data.csv"),
        }
    )
    kinds = {
        name: store.connection.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?",
            [store.query(name, lambda t: f"SELECT '{t}'")[0][0].strip('"')],
        ).fetchall()
        for name in ("pq", "csv")
    }
    assert kinds == {"pq": [("VIEW",)], "csv": [("BASE TABLE",)]}


def _damaged_parquet(path: Path) -> None:
    """A Parquet file whose footer is intact (it opens) but whose middle is overwritten (the
    first query that decodes those pages fails)."""
    rng = np.random.default_rng(1)
    rows = 200_000
    pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], rows),
            "y": np.arange(rows) % 2,
            "p": np.arange(rows) % 3 % 2,
        }
    ).to_parquet(path, row_group_size=50_000)
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(content))


def test_a_parquet_file_damaged_inside_is_an_input_error_naming_it(tmp_path):
    path = tmp_path / "data.parquet"
    _damaged_parquet(path)
    store = DatasetStore({"d": DatasetSpec(path=path)})
    assert store.row_count("d") == 200_000  # opening it reads only the footer
    with pytest.raises(InputError) as caught:
        store.query("d", lambda t: f"SELECT sex, y, p, count(*) FROM {t} GROUP BY ALL")
    assert "dataset 'd' could not be read as parquet" in caught.value.message
    assert Path(caught.value.location.file).name == "data.parquet"


def test_a_damaged_parquet_file_stops_the_audit_with_exit_2(tmp_path):
    _damaged_parquet(tmp_path / "data.parquet")
    (tmp_path / "policy.yaml").write_text(
        textwrap.dedent(
            """\
            policy: p
            rules:
              - id: FAIR-1
                title: Selection rates
                severity: high
                fairness: {metric: selection_rate, compare: ratio_to_max, min: 0.8}
            """
        )
    )
    manifest = tmp_path / "audit.yaml"
    manifest.write_text(
        textwrap.dedent(
            """\
            name: damaged
            datasets:
              d: {path: data.parquet, label: y, prediction: p, sensitive_features: [sex]}
            policies: [policy.yaml]
            """
        )
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out)])
    assert result.exit_code == 2
    assert "could not be read as parquet" in result.stderr
    assert "data.parquet" in result.stderr
    # the file is at fault, not the rule that happened to read it first
    assert "FAIR-1" not in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not out.exists()


def test_a_compressed_csv_file_is_never_unpacked(tmp_path):
    # gzip whose header pads the first 4 KB with an extra field (no zero byte for the binary
    # sniff to see): DuckDB unpacked it by its `.gz` name, 170 times its size here, a
    # thousand times at most.
    rows = b"sex,y,p\n" + b"".join(b"F,1,0\nM,0,1\n" for _ in range(100_000))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(rows) + packer.flush()
    header = b"\x1f\x8b\x08\x04\x01\x01\x01\x01\x02\xff" + struct.pack("<H", 4400)
    content = header + b"A" * 4400 + packed + struct.pack("<II", zlib.crc32(rows), len(rows))
    assert b"\x00" not in content[:4096] and len(content) * 150 < len(rows)
    (tmp_path / "data.csv.gz").write_bytes(content)
    spec = DatasetSpec.model_validate({"path": tmp_path / "data.csv.gz", "format": "csv"})
    store = DatasetStore({"d": spec})
    try:
        with pytest.raises(InputError) as caught:
            store.row_count("d")
    finally:
        store.close()
    assert "dataset 'd' could not be read as csv: it is not UTF-8" in caught.value.message
