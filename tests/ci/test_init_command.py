"""`governance init`: three files an audit runs with at once, guesses said aloud, nothing ever
overwritten, hostile column names quoted by the YAML dumper and masked on the console."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from governance.cli.app import app
from governance.manifest import load_manifest

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _init(folder: Path, *arguments: str):
    return runner.invoke(app, ["init", *arguments, "--dir", str(folder)])


def test_init_on_the_example_data_then_audit_runs(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(REPO / "examples/hiring/data/applicants.csv", tmp_path / "data")
    result = _init(tmp_path, str(tmp_path / "data/applicants.csv"))
    assert result.exit_code == 0, result.output
    assert "  label:              hired\n" in result.output
    assert "  prediction:         predicted\n" in result.output
    assert "  score:              score\n" in result.output
    assert "  sensitive features: sex, race_ethnicity, age_band\n" in result.output

    manifest = yaml.safe_load((tmp_path / "audit.yaml").read_text())
    assert manifest["datasets"] == {
        "applicants": {
            "path": "data/applicants.csv",
            "label": "hired",
            "prediction": "predicted",
            "score": "score",
            "sensitive_features": ["sex", "race_ethnicity", "age_band"],
        }
    }
    policy = yaml.safe_load((tmp_path / "policy.yaml").read_text())
    assert policy["extends"] == ["builtin:baseline", "builtin:gdpr-pii", "builtin:eeoc-four-fifths"]
    assert yaml.safe_load((tmp_path / "waivers.yaml").read_text()) == {"waivers": []}

    audited = runner.invoke(
        app,
        ["audit", str(tmp_path / "audit.yaml"), "--format", "json", "--out", str(tmp_path / "r")],
    )
    assert audited.exit_code == 1, audited.output  # it runs, and fails its gate: no model card
    assert (tmp_path / "r" / "audit.json").exists()
    assert "EEOC-4-5" in (tmp_path / "r" / "audit.json").read_text()


def test_init_without_data_writes_a_manifest_that_validates(tmp_path):
    result = _init(tmp_path)
    assert result.exit_code == 0, result.output
    checked = runner.invoke(app, ["check", str(tmp_path / "audit.yaml")])
    assert checked.exit_code == 0, checked.output
    assert "valid" in checked.output


@pytest.mark.parametrize("existing", ["audit.yaml", "waivers.yaml"])
def test_init_never_overwrites_and_writes_nothing(tmp_path, existing):
    (tmp_path / existing).write_text("mine\n")
    result = _init(tmp_path)
    assert result.exit_code == 2
    assert str(tmp_path / existing) in result.output and "never overwrites" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]
    assert (tmp_path / existing).read_text() == "mine\n"


def test_a_data_file_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a,b\n1,2\n")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "link.csv").symlink_to(outside)
    for data in (outside, folder / "link.csv"):
        result = _init(folder, str(data))
        assert result.exit_code == 2
        assert "outside" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["link.csv"]


HOSTILE = [
    "label",
    "pred: 1 # x",
    "sex\n- injected: true",
    "race 'quoted' \"and\" {flow}, [list]",
    "gender jane.doe@example.com",
]


def test_hostile_column_names_are_quoted_in_yaml_and_masked_on_screen(tmp_path):
    header = ",".join('"' + name.replace('"', '""') + '"' for name in HOSTILE)
    rows = [
        f"{i % 2},{(i // 2) % 2},{'FM'[i % 2]},{'AB'[i % 3 % 2]},{'xy'[i % 2]}" for i in range(60)
    ]
    (tmp_path / "data.csv").write_text(header + "\n" + "\n".join(rows) + "\n")
    result = _init(tmp_path, str(tmp_path / "data.csv"))
    assert result.exit_code == 0, result.output
    assert "jane.doe@example.com" not in result.output
    assert "j***@e***.com" in result.output
    assert "sex\\n- injected: true" in result.output  # escaped on one line

    loaded = load_manifest(tmp_path / "audit.yaml").manifest.datasets["data"]
    assert loaded.label == "label"
    assert loaded.prediction == "pred: 1 # x"
    assert loaded.sensitive_features == tuple(HOSTILE[2:])
    assert "injected" not in yaml.safe_load((tmp_path / "audit.yaml").read_text())


def test_a_score_without_decisions_gets_a_threshold_and_words_a_positive_label(tmp_path):
    rows = [f"{'selected' if i % 3 else 'rejected'},{i / 100:.2f},{18 + i}" for i in range(80)]
    (tmp_path / "loans.csv").write_text("Approved,riskScore,age\n" + "\n".join(rows) + "\n")
    result = _init(tmp_path, str(tmp_path / "loans.csv"))
    assert result.exit_code == 0, result.output
    assert "score:              riskScore (threshold 0.5: values between 0 and 1)" in result.output
    assert "not taken as a sensitive feature: age (too many values" in result.output
    dataset = yaml.safe_load((tmp_path / "audit.yaml").read_text())["datasets"]["loans"]
    assert dataset == {
        "path": "loans.csv",
        "label": "Approved",
        "positive_label": "selected",
        "score": "riskScore",
        "threshold": 0.5,
    }
    policy = yaml.safe_load((tmp_path / "policy.yaml").read_text())
    assert policy["extends"] == ["builtin:baseline", "builtin:gdpr-pii"]  # no sensitive feature


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("data.json", '{"a": 1}\n', "governance init reads .csv"),
        ("ragged.csv", "a,b\n1,2,3\n", "line 2 has 3 fields"),
    ],
)
def test_an_unreadable_data_file_is_one_error_and_nothing_is_written(tmp_path, name, content, said):
    (tmp_path / name).write_text(content)
    result = _init(tmp_path, str(tmp_path / name))
    assert result.exit_code == 2
    assert said in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_manifest_says_what_to_declare_next_in_lines_that_uncomment_to_yaml(tmp_path):
    assert _init(tmp_path).exit_code == 0
    text = (tmp_path / "audit.yaml").read_text()
    assert "# Next: the baseline pack's rules fail until the model card" in text
    lines = text.splitlines()
    start = lines.index("# model:")
    block = [lines[start][2:]]
    block += [line[2:] for line in lines[start + 1 :] if line.startswith("#   ")]
    uncommented = "\n".join(block).replace("  artifact", "  # artifact")  # no model file here
    (tmp_path / "audit.yaml").write_text(text + uncommented + "\n")
    (tmp_path / "MODEL_CARD.md").write_text("# Model card\n")
    checked = runner.invoke(app, ["check", str(tmp_path / "audit.yaml")])
    assert checked.exit_code == 0, checked.output
    document_rules = runner.invoke(app, ["check", "--documents", str(tmp_path / "audit.yaml")])
    assert "no model card is declared" not in document_rules.output
