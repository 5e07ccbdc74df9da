"""Identifiers are data too: personal data seeded into every kind of identifier an audit
prints (dataset names, column names, group labels, document headings, waiver scopes, error
hints) appears in no output, masked the way values are masked."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app

SEEDED = {
    "ssn": "078-05-1120",  # a group label (presidio rejects it as a published sample SSN)
    "email": "jane.secret@mail.example.com",  # a column name
    "heading_email": "omar.hidden@corp.example.org",  # a model-card heading
    "phone": "646-555-0199",  # a dataset name
    "column_ssn": "536-22-8726",  # a column name and a waiver scope
}
FRAGMENTS = ("078-05", "05-1120", "jane.secret", "omar.hidden", "555-0199", "536-22")
SEARCHED = (*SEEDED.values(), *FRAGMENTS)
DATASET = SEEDED["phone"]

POLICY = f"""\
policy: leaks
rules:
  - id: FAIR-1
    title: Selection rates within four-fifths
    severity: high
    fairness:
      dataset: {DATASET}
      metric: selection_rate
      compare: ratio_to_max
      sensitive_features: [age_band, sex]
      intersectional: true
      min: 0.8
  - id: PII-1
    title: No e-mail addresses
    severity: high
    pii:
      entities: [EMAIL_ADDRESS, US_SSN]
  - id: DOC-1
    title: Card names a contact
    severity: high
    documentation:
      document: model_card
      required_sections: [Contact, Limitations]
"""
WAIVERS = f"""\
waivers:
  - rule: FAIR-1
    scope: {{group: "age_band={SEEDED["ssn"]}*"}}
    reason: Under review.
    owner: Fairness board
    approved_by: Chief risk officer
    expires: 2027-12-31
  - rule: PII-1
    scope: {{column: "{SEEDED["column_ssn"]}"}}
    reason: Never matches.
    owner: Data office
    approved_by: DPO
    expires: 2027-12-31
"""
CARD = f"""\
---
license: apache-2.0
---
# Model card

## Contact {SEEDED["heading_email"]}

TODO

## Limitations

Trained on one country's applications; not validated elsewhere for this screening use.
"""


def _rows() -> str:
    header = ["id", "sex", "age_band", "hired", "predicted", SEEDED["email"], SEEDED["column_ssn"]]
    lines = [",".join(header)]
    bands = ("18-29", "30-44", SEEDED["ssn"])
    for i in range(240):
        band = bands[i % 3]
        selected = int(i % 5 == 0) if band == SEEDED["ssn"] else int(i % 2 == 0)
        sex = "F" if i % 4 < 2 else "M"
        lines.append(f"{i},{sex},{band},{selected},{selected},word{i % 7},plain{i % 3}")
    return "\n".join(lines) + "\n"


def _audit_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "data.csv").write_text(_rows(), encoding="utf-8")
    (folder / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (folder / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(CARD, encoding="utf-8")
    (folder / "audit.yaml").write_text(
        "name: leaks\n"
        "model: {card: MODEL_CARD.md}\n"
        "datasets:\n"
        f"  {DATASET}:\n"
        "    path: data.csv\n"
        "    label: hired\n"
        "    prediction: predicted\n"
        "    sensitive_features: [sex, age_band]\n"
        "policies: [policy.yaml]\n"
        "waivers: waivers.yaml\n",
        encoding="utf-8",
    )
    return folder


def _commit(folder: Path, *, branch: str, remote: str) -> None:
    """`folder` as a git work tree on `branch`, with `remote` as its origin."""
    identity = {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    for args in (
        ["init", "-q", "-b", branch],
        ["remote", "add", "origin", remote],
        ["add", "."],
        ["commit", "-q", "-m", "audit"],
    ):
        subprocess.run(["git", *args], cwd=folder, env={**os.environ, **identity}, check=True)


def _keys(tmp_path: Path) -> tuple[Path, Path]:
    keys = tmp_path / "keys"
    made = CliRunner().invoke(
        app,
        ["keys", "init", "--name", "Leak Test", "--email", "leaks@example.org", "--out", str(keys)],
    )
    assert made.exit_code == 0, made.output
    return keys / "signing-key.pem", keys / "signing-cert.pem"


def _pdf_texts(pdf: Path, tmp_path: Path) -> dict[str, str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    attached = tmp_path / "attached.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(attached), str(pdf)], check=True)
    return {"report.pdf (text)": text, "report.pdf (attachment)": attached.read_text("utf-8")}


def _attestation_payload(path: Path) -> str:
    envelope = json.loads(path.read_text(encoding="utf-8"))
    return base64.b64decode(envelope["payload"]).decode("utf-8")


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler-utils not installed")
def test_no_seeded_identifier_appears_in_any_output(tmp_path: Path) -> None:
    folder = _audit_folder(tmp_path)
    _commit(folder, branch=SEEDED["email"], remote=f"https://{SEEDED['heading_email']}@h/x.git")
    key, cert = _keys(tmp_path)
    out = tmp_path / "reports"
    run = CliRunner().invoke(
        app,
        [
            "--debug",
            "audit",
            str(folder / "audit.yaml"),
            "--out",
            str(out),
            "--format",
            "console,json,md,html,pdf,sarif,junit,oscal,openmetrics,cyclonedx",
            "--sign",
            "--key",
            str(key),
            "--cert",
            str(cert),
        ],
    )
    assert run.exit_code == 1, run.output
    # A later audit of changed data against this one as its baseline, and the diff of the two.
    data = folder / "data.csv"
    data.write_text("".join(data.read_text("utf-8").splitlines(True)[:-3]), encoding="utf-8")
    later = tmp_path / "later"
    rerun = CliRunner().invoke(
        app,
        [
            "audit",
            str(folder / "audit.yaml"),
            "--out",
            str(later),
            "--format",
            "console,json,md",
            "--baseline",
            str(out),
        ],
    )
    assert rerun.exit_code == 0, rerun.output
    diffs = {
        f"diff ({fmt})": CliRunner().invoke(app, ["diff", str(out), str(later), "-f", fmt])
        for fmt in ("text", "json", "md")
    }
    assert "figures moved" in diffs["diff (text)"].output
    outputs = {
        name: (out / name).read_text(encoding="utf-8")
        for name in (
            "audit.json",
            "summary.md",
            "report.html",
            "report.sarif",
            "junit.xml",
            "assessment-results.json",
            "metrics.prom",
            "bom.cdx.json",
        )
    }
    outputs["attestation (payload)"] = _attestation_payload(out / "attestation.intoto.jsonl")
    outputs.update(_pdf_texts(out / "report.pdf", tmp_path))
    outputs["stdout"] = run.stdout
    outputs["stderr"] = run.stderr
    outputs["baseline audit (stdout)"] = rerun.stdout
    outputs["baseline audit (audit.json)"] = (later / "audit.json").read_text("utf-8")
    outputs["baseline audit (summary.md)"] = (later / "summary.md").read_text("utf-8")
    outputs.update({name: done.output for name, done in diffs.items()})
    # The identifiers are there, masked: the test fails if they vanished instead.
    audit = json.loads(outputs["audit.json"])
    groups = {
        finding["scope"].get("group") for rule in audit["rules"] for finding in rule["findings"]
    }
    assert "age_band=***-**-1120" in groups or "age_band=***-**-****" in groups, groups
    assert "j***@m***.com" in outputs["audit.json"]
    assert "Contact o***@c***.org" in outputs["audit.json"]
    assert "age_band=***-**-" in outputs["assessment-results.json"]
    assert 'group="age_band=***-**-1120' in outputs["metrics.prom"]
    assert "age_band=***-**-1120" in outputs["bom.cdx.json"]
    subjects = json.loads(outputs["attestation (payload)"])["subject"]
    assert {"metrics.prom", "bom.cdx.json"} <= {subject["name"] for subject in subjects}
    assert '"branch": "j***@m***.com"' in outputs["audit.json"]
    assert '"remote": "https://h/x.git"' in outputs["audit.json"]
    for where, text in outputs.items():
        for value in SEARCHED:
            assert value not in text, f"{value!r} leaked into {where}"


def test_an_error_hint_listing_columns_masks_them(tmp_path: Path) -> None:
    folder = _audit_folder(tmp_path)
    policy = folder / "policy.yaml"
    policy.write_text(
        policy.read_text("utf-8").replace("[age_band, sex]", "[no_such_column]"), "utf-8"
    )
    for arguments in (["audit"], ["--debug", "audit"]):
        run = CliRunner().invoke(
            app, [*arguments, str(folder / "audit.yaml"), "--out", str(tmp_path / "r")]
        )
        assert run.exit_code == 2, run.output
        assert "no_such_column" in run.stderr
        assert "j***@m***.com" in run.stderr
        for value in SEARCHED:
            assert value not in run.stdout + run.stderr, f"{value!r} leaked into {arguments}"


def test_a_waiver_matches_a_masked_group_by_the_value_written_in_the_data(
    tmp_path: Path,
) -> None:
    folder = _audit_folder(tmp_path)
    run = CliRunner().invoke(
        app, ["audit", str(folder / "audit.yaml"), "--out", str(tmp_path / "r"), "-f", "json"]
    )
    assert run.exit_code == 1, run.output
    audit = json.loads((tmp_path / "r" / "audit.json").read_text("utf-8"))
    waivers = {w["rule"]: w for w in audit["waivers"]}
    assert waivers["FAIR-1"]["status"] == "applied"
    assert waivers["FAIR-1"]["scope"] == {"group": "age_band=***-**-1120*"}
    assert waivers["PII-1"]["scope"] == {"column": "***-**-8726"}


FORGING = {
    "bidi": "evil\u202egnp.exe",
    "nul": "nul\x00byte",
    "newline": "two\nlines",
    "isolate": "left\u2067right",
}
FORGING_POLICY = """\
policy: forging
rules:
  - id: FORGE-1
    title: "Rates \\u202eevil\\x00 title"
    severity: high
    description: "Line one\\nline \\u2066two"
    fairness:
      metric: selection_rate
      compare: ratio_to_max
      sensitive_features: [band]
      min: 0.8
"""


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_control_and_bidi_characters_are_escaped_in_every_output(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    bands = ("plain", "evil\u202egnp.exe", "left\u2067right")
    lines = ["band,hired,predicted"]
    for i in range(180):
        band = bands[i % 3]
        selected = int(i % 7 == 0) if band != "plain" else int(i % 2 == 0)
        lines.append(f"{band},{selected},{selected}")
    (folder / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "policy.yaml").write_text(FORGING_POLICY, encoding="utf-8")
    (folder / "audit.yaml").write_text(
        "name: forging\n"
        "datasets:\n"
        "  people: {path: data.csv, label: hired, prediction: predicted,"
        " sensitive_features: [band]}\n"
        "policies: [policy.yaml]\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    run = CliRunner().invoke(
        app,
        [
            "audit",
            str(folder / "audit.yaml"),
            "--out",
            str(out),
            "-f",
            "console,json,md,html,pdf,sarif,junit,oscal,openmetrics,cyclonedx",
        ],
    )
    assert run.exit_code == 1, run.output
    outputs = {p.name: p.read_text("utf-8") for p in out.iterdir() if p.suffix != ".pdf"}
    assert {"metrics.prom", "bom.cdx.json"} <= set(outputs)
    outputs.update(_pdf_texts(out / "report.pdf", tmp_path))
    outputs["stdout"] = run.stdout
    for where, text in outputs.items():
        for char in ("\u202e", "\u2066", "\u2067", "\x00"):
            assert char not in text, f"{char!r} reached {where}"
    assert "evil\\u202egnp.exe" in outputs["stdout"]
    assert 'group="band=evil\\\\u202egnp.exe"' in outputs["metrics.prom"]  # escaped twice
    audit = json.loads(outputs["audit.json"])
    rule = audit["rules"][0]
    assert rule["title"] == "Rates \\u202eevil\\x00 title"
    assert rule["description"] == "Line one\nline \\u2066two"
    assert any("evil\\u202egnp.exe" in f["scope"]["group"] for f in rule["findings"])


def test_file_names_are_shown_as_committed_and_a_frame_by_its_masked_name(tmp_path: Path) -> None:
    import pandas as pd

    import governance

    folder = _audit_folder(tmp_path)
    dated = folder / "applicants-20261126.csv"
    (folder / "data.csv").rename(dated)
    manifest = folder / "audit.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace("path: data.csv", f"path: {dated.name}"), "utf-8"
    )
    on_disk = governance.audit(manifest)
    # A report links to the file by its name: the date in it is not masked as a bank number.
    assert dated.name in {i.path for i in on_disk.inputs}
    frame = pd.read_csv(dated)
    in_memory = governance.audit(manifest, datasets={DATASET: frame})
    assert "memory:***-***-0199" in {i.path for i in in_memory.inputs}
    assert not any(SEEDED["phone"] in i.path for i in in_memory.inputs)


def test_a_newline_in_a_quoted_name_cannot_forge_an_error_line(tmp_path: Path) -> None:
    folder = _audit_folder(tmp_path)
    policy = folder / "policy.yaml"
    policy.write_text(
        policy.read_text("utf-8").replace("[age_band, sex]", '["band\\nerror: forged line"]'),
        "utf-8",
    )
    run = CliRunner().invoke(
        app, ["audit", str(folder / "audit.yaml"), "--out", str(tmp_path / "r")]
    )
    assert run.exit_code == 2, run.output
    assert "band\\nerror: forged line" in run.stderr
    assert not any(line.startswith("error: forged") for line in run.stderr.splitlines())
