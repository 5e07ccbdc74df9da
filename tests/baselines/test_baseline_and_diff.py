"""`governance diff` and `audit --baseline` on two audits of the example: the second with one
finding fixed (the card's Limitations written) and one new (its license removed), and fewer
rows of one group (its impact ratio moves)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import governance
from governance.cli.app import app
from governance.engine import recorded_result
from governance.engine.baseline import gated_against
from governance.engine.recorded_result import RecordedAudit, read_recorded_audit
from governance.engine.result import Outcome
from governance.errors import InputError
from tests.conftest import EXAMPLE
from tests.reports.canonical_audit import canonical_result
from tests.signing.report_factory import KeyFiles, make_key_files, write_signed_report

runner = CliRunner()
LIMITATIONS = (
    "The model was trained on applications from the United States only and performs worse on "
    "applicants with career breaks or non-traditional education; it has not been validated for "
    "any other role or country."
)


@dataclass(frozen=True)
class Audits:
    old: Path
    """Report folder of the example as shipped."""
    again: Path
    """The same example, copied elsewhere, audited against `old` as its baseline."""
    again_output: str
    again_exit: int
    new: Path
    """The edited example, audited against a signed copy of `old`."""
    new_output: str
    new_exit: int
    signed_old: Path
    signer: KeyFiles


def _audit(manifest: Path, out: Path, *options: str) -> tuple[int, str]:
    done = runner.invoke(
        app,
        ["audit", str(manifest), "--format", "console,json,md,sarif", "--out", str(out), *options],
    )
    return done.exit_code, done.output


def _edited_copy(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    card = target / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8")
    text = text.replace("TODO: describe where the model performs worse.", LIMITATIONS)
    card.write_text(text.replace("license: apache-2.0\n", ""), encoding="utf-8")
    data = target / "data" / "applicants.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    black = [i for i, line in enumerate(lines) if ",Black or African American," in line][:40]
    data.write_text("".join(line for i, line in enumerate(lines) if i not in set(black)), "utf-8")
    return target / "audit.yaml"


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> Audits:
    base = tmp_path_factory.mktemp("baselines")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795651200")
        shutil.copytree(EXAMPLE, base / "first" / "hiring")
        exit_code, output = _audit(base / "first" / "hiring" / "audit.yaml", base / "old")
        assert exit_code == 1, output
        shutil.copytree(EXAMPLE, base / "second" / "elsewhere")
        again_exit, again_output = _audit(
            base / "second" / "elsewhere" / "audit.yaml",
            base / "again",
            "--baseline",
            str(base / "old"),
        )
        signer = make_key_files(base / "keys", "Baseline Signer")
        recorded = read_recorded_audit(base / "old" / "audit.json").result
        signed_old = write_signed_report(base / "signed-old", recorded, signer.material, None)
        new_exit, new_output = _audit(
            _edited_copy(base / "third" / "hiring"),
            base / "new",
            "--fail-on",
            "medium",
            "--baseline",
            str(signed_old),
            "--baseline-trust",
            str(signer.cert),
        )
    return Audits(
        old=base / "old",
        again=base / "again",
        again_output=again_output,
        again_exit=again_exit,
        new=base / "new",
        new_output=new_output,
        new_exit=new_exit,
        signed_old=signed_old,
        signer=signer,
    )


def _fingerprints(folder: Path) -> list[dict[str, str]]:
    sarif = json.loads((folder / "report.sarif").read_text(encoding="utf-8"))
    return [r["partialFingerprints"] for r in sarif["runs"][0]["results"] if r["kind"] == "fail"]


def _recorded_findings(folder: Path) -> int:
    """The findings an audit recorded (waived ones included: a baseline holds them too)."""
    written = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    return sum(len(r["findings"]) for r in written["rules"])


def test_sarif_fingerprints_are_identical_across_runs_and_folders(audits: Audits) -> None:
    first = _fingerprints(audits.old)
    assert len(first) == _recorded_findings(audits.old) > 10
    assert _fingerprints(audits.again) == first
    assert len({value for entry in first for value in entry.values()}) == len(first)


def _baseline_states(folder: Path) -> list[tuple[str, str]]:
    sarif = json.loads((folder / "report.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    return [(r["ruleId"], r["baselineState"]) for r in results if r["kind"] == "fail"]


def test_sarif_says_which_findings_are_new_since_the_baseline(audits: Audits) -> None:
    assert {state for _, state in _baseline_states(audits.again)} == {"unchanged"}
    new = [(rule, state) for rule, state in _baseline_states(audits.new) if state == "new"]
    assert new == [("DOC-MC-007", "new")]
    assert "baselineState" not in (audits.old / "report.sarif").read_text(encoding="utf-8")


def test_audit_json_fingerprints_are_read_back_as_written(audits: Audits) -> None:
    written = json.loads((audits.old / "audit.json").read_text(encoding="utf-8"))
    recorded = read_recorded_audit(audits.old / "audit.json").result
    assert [f["fingerprint"] for r in written["rules"] for f in r["findings"]] == [
        f.fingerprint for r in recorded.rules for f in r.findings
    ]


def test_an_unchanged_audit_passes_its_baseline_gate_and_says_what_remains(
    audits: Audits,
) -> None:
    known = _recorded_findings(audits.old)
    assert audits.again_exit == 0, audits.again_output
    assert "0 findings new since it" in audits.again_output
    assert f"{known} remain from it, 0 fixed" in audits.again_output
    assert "not signed, so not verified" in audits.again_output
    summary = (audits.again / "summary.md").read_text(encoding="utf-8")
    assert f"{known} remain from it" in summary
    baseline = json.loads((audits.again / "audit.json").read_text(encoding="utf-8"))["baseline"]
    assert (baseline["new"], baseline["remaining"], baseline["fixed"]) == (0, known, 0)
    assert baseline["sha256"] == read_recorded_audit(audits.old / "audit.json").sha256


def test_only_a_new_finding_fails_the_baseline_gate(audits: Audits) -> None:
    assert audits.new_exit == 1, audits.new_output
    recorded = read_recorded_audit(audits.new / "audit.json").result
    assert [r.id for r in recorded.gate_failures()] == ["DOC-MC-007"]
    assert recorded.baseline is not None
    assert (recorded.baseline.new, recorded.baseline.remaining, recorded.baseline.fixed) == (
        1,
        _recorded_findings(audits.old) - 1,
        1,
    )
    assert "signed report folder, verified against the trusted certificate" in audits.new_output
    assert "front matter lacks required field 'license'" in audits.new_output


def test_diff_lists_new_fixed_and_unchanged_findings_and_outcomes(audits: Audits) -> None:
    done = runner.invoke(app, ["diff", str(audits.old), str(audits.new / "audit.json")])
    assert done.exit_code == 0, done.output
    unchanged = _recorded_findings(audits.old) - 1
    assert f"1 new, 1 fixed, {unchanged} unchanged findings; 1 rule outcome changed" in done.output
    new_part = done.output.split("new findings:\n")[1].split("fixed findings:")[0]
    assert new_part == "  DOC-MC-007 (medium): front matter lacks required field 'license'\n"
    assert "DOC-MC-005 (high): section 'Limitations'" in done.output.split("fixed findings:")[1]
    assert "  DOC-MC-005: failed -> passed\n" in done.output
    assert "line " not in done.output  # a heading that moved is not a changed figure


def test_diff_shows_a_moved_impact_ratio(audits: Audits) -> None:
    done = runner.invoke(app, ["diff", str(audits.old), str(audits.new), "--format", "json"])
    assert done.exit_code == 0, done.output
    figures = json.loads(done.output)["figures"]
    ratio = next(
        f
        for f in figures
        if f["rule"] == "EEOC-4-5"
        and f["row"] == "race_ethnicity=Black or African American"
        and f["column"] == "impact ratio"
    )
    assert round(ratio["old"], 3) == 0.194 and ratio["new"] < ratio["old"]
    words = next(f for f in figures if f["rule"] == "DOC-MC-005" and f["column"] == "words")
    assert (words["old"], words["new"]) == (0, 33)


def test_diff_fails_on_new_findings_only_when_asked(audits: Audits) -> None:
    asked = ["diff", str(audits.old), str(audits.new), "--fail-on-new", "--format", "md"]
    done = runner.invoke(app, asked)
    assert done.exit_code == 1
    assert "**New findings**" in done.output
    back = runner.invoke(app, ["diff", str(audits.new), str(audits.old), "--fail-on-new"])
    assert back.exit_code == 1  # the license finding is "fixed", the Limitations one new
    same = runner.invoke(app, ["diff", str(audits.old), str(audits.again), "--fail-on-new"])
    known = _recorded_findings(audits.old)
    assert same.exit_code == 0 and f"0 new, 0 fixed, {known} unchanged" in same.output


def test_a_tampered_signed_baseline_is_refused(audits: Audits, tmp_path: Path) -> None:
    tampered = shutil.copytree(audits.signed_old, tmp_path / "tampered")
    audit_json = tampered / "audit.json"
    audit_json.write_text(
        audit_json.read_text(encoding="utf-8").replace('"failed"', '"passed"', 1), "utf-8"
    )
    manifest = shutil.copytree(EXAMPLE, tmp_path / "hiring") / "audit.yaml"
    for target in (tampered, audit_json):
        done = runner.invoke(
            app, ["audit", str(manifest), "--out", str(tmp_path / "out"), "--baseline", str(target)]
        )
        assert done.exit_code == 2, done.output
        assert "is a signed report folder that fails verification" in done.output
        assert "audit.json" in done.output
        assert not (tmp_path / "out").exists()
    done = runner.invoke(app, ["diff", str(tampered), str(audits.new)])
    assert done.exit_code == 2 and "fails verification" in done.output


def test_a_baseline_stripped_of_its_signature_is_refused_when_a_signer_is_trusted(
    audits: Audits, tmp_path: Path
) -> None:
    # Deleting the attestation must not turn "verified against the trusted certificate" into
    # "not signed, so not verified": anyone could then edit audit.json and gate with it.
    stripped = shutil.copytree(audits.signed_old, tmp_path / "stripped")
    (stripped / "attestation.intoto.jsonl").unlink()
    audit_json = stripped / "audit.json"
    manifest = shutil.copytree(EXAMPLE, tmp_path / "hiring") / "audit.yaml"
    trust = ["--baseline-trust", str(audits.signer.cert)]
    for target in (stripped, audit_json):
        done = runner.invoke(
            app,
            ["audit", str(manifest), "--out", str(tmp_path / "out"), "--baseline", str(target)]
            + trust,
        )
        assert done.exit_code == 2, done.output
        assert "is not signed" in done.output and "trusted certificate" in done.output
        assert not (tmp_path / "out").exists()
    done = runner.invoke(
        app, ["diff", str(stripped), str(audits.signed_old), "--trust", str(audits.signer.cert)]
    )
    assert done.exit_code == 2 and "is not signed" in done.output
    with pytest.raises(InputError, match="is not signed"):
        governance.audit(manifest, baseline=stripped, baseline_trust=audits.signer.cert)


def test_a_baseline_written_by_schema_1_2_still_compares(audits: Audits, tmp_path: Path) -> None:
    # 1.3 only added values: a 1.2 audit.json is a 1.3 one, and stored baselines keep working.
    old = json.loads((audits.old / "audit.json").read_text(encoding="utf-8"))
    old["schema_version"] = "1.2"
    (tmp_path / "audit.json").write_text(json.dumps(old), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(tmp_path / "audit.json"), str(audits.new)])
    expected = runner.invoke(app, ["diff", str(audits.old / "audit.json"), str(audits.new)])
    assert done.exit_code == expected.exit_code, done.output
    assert done.output == expected.output


def test_a_baseline_of_another_schema_version_is_refused(audits: Audits, tmp_path: Path) -> None:
    old = json.loads((audits.old / "audit.json").read_text(encoding="utf-8"))
    old["schema_version"] = "1.1"
    (tmp_path / "audit.json").write_text(json.dumps(old), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(tmp_path / "audit.json"), str(audits.new)])
    assert done.exit_code == 2
    assert "has schema_version '1.1'; this version of governance reads '1.3'" in done.output


def test_an_errored_rule_fails_the_gate_whatever_the_baseline() -> None:
    result = canonical_result()
    gated = gated_against(result, RecordedAudit(result=result, sha256="0" * 64), "not signed")
    assert gated.baseline is not None and gated.baseline.new == 0
    assert {r.outcome for r in gated.gate_failures()} == {Outcome.ERRORED}
    assert any(r.outcome is Outcome.FAILED for r in result.gate_failures())
    findings = sum(len(r.findings) for r in result.rules)
    assert (gated.baseline.remaining, gated.baseline.fixed) == (findings, 0)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"schema_version": "1.3", "rules": ' + "[" * 50_000 + "]" * 50_000 + "}", "too deeply"),
        ('{"schema_version": "1.3", "n": ' + "9" * 5000 + "}", "a number too long to be read"),
        ('{"schema_version": "1.3", "n": NaN}', "NaN is not a JSON number"),
    ],
)
def test_a_hostile_audit_json_is_refused_with_one_message(
    audits: Audits, tmp_path: Path, content: str, problem: str
) -> None:
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "audit.json").write_text(content, encoding="utf-8")
    done = runner.invoke(app, ["diff", str(hostile), str(audits.new)])
    assert done.exit_code == 2, done.output
    assert problem in done.output and "audit.json" in done.output
    assert "internal error" not in done.output
    manifest = audits.again.parent / "second" / "elsewhere" / "audit.yaml"
    done = runner.invoke(
        app, ["audit", str(manifest), "--out", str(tmp_path / "out"), "--baseline", str(hostile)]
    )
    assert done.exit_code == 2 and problem in done.output, done.output
    assert not (tmp_path / "out").exists()


def test_a_report_folder_whose_audit_json_is_a_symbolic_link_is_refused(
    audits: Audits, tmp_path: Path
) -> None:
    """A tampered folder cannot make the tool read a file elsewhere through a link."""
    (tmp_path / "audit.json").symlink_to(audits.old / "audit.json")
    done = runner.invoke(app, ["diff", str(tmp_path), str(audits.new)])
    assert done.exit_code == 2, done.output
    assert "is a symbolic link" in done.output


def test_a_finding_message_with_a_line_break_stays_on_its_line_in_the_diff(
    audits: Audits, tmp_path: Path
) -> None:
    """An edited audit.json cannot forge a line of the diff (a fake section or finding)."""
    new = json.loads((audits.new / "audit.json").read_text(encoding="utf-8"))
    for rule in new["rules"]:
        for finding in rule["findings"]:
            finding["message"] = "real\nfixed findings:\n  FORGED"
    (tmp_path / "audit.json").write_text(json.dumps(new), encoding="utf-8")
    for output_format in ("text", "md"):
        done = runner.invoke(app, ["diff", str(audits.old), str(tmp_path), "-f", output_format])
        assert done.exit_code == 0, done.output
        assert "real fixed findings:   FORGED" in done.output
        assert "\n  FORGED" not in done.output


def test_an_audit_json_over_the_size_limit_is_refused_before_it_is_parsed(
    audits: Audits, tmp_path: Path
) -> None:
    huge = tmp_path / "audit.json"
    with huge.open("wb") as stream:  # sparse: MAX_AUDIT_JSON_BYTES + 1 bytes read, none stored
        stream.truncate(recorded_result.MAX_AUDIT_JSON_BYTES + 1)
    done = runner.invoke(app, ["diff", str(huge), str(audits.new)])
    assert done.exit_code == 2, done.output
    assert "is larger than the limit of 67,108,864 bytes for an audit.json" in done.output


def test_a_rule_id_with_a_line_break_or_escape_stays_on_its_line_in_the_diff(
    audits: Audits, tmp_path: Path
) -> None:
    """An edited audit.json's rule ids are escaped when read back, like its other text."""
    new = json.loads((audits.new / "audit.json").read_text(encoding="utf-8"))
    new["rules"][0]["id"] = "X\x1b[2J\nnew findings:\n  FORGED"
    (tmp_path / "audit.json").write_text(json.dumps(new), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(audits.old), str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "X\\x1b[2J\\nnew findings:\\n  FORGED" in done.output
    assert "\x1b" not in done.output and "\n  FORGED" not in done.output


def test_a_recorded_commit_that_is_not_an_object_name_is_refused(
    audits: Audits, tmp_path: Path
) -> None:
    """The diff prints a side's commit: an edited audit.json cannot put an escape there."""
    new = json.loads((audits.new / "audit.json").read_text(encoding="utf-8"))
    new["source_control"] = {"commit": "\x1b[2J\x1b[H" + "0" * 34}
    (tmp_path / "audit.json").write_text(json.dumps(new), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(audits.old), str(tmp_path)])
    assert done.exit_code == 2, done.output
    assert "not a valid audit.json: at source_control.commit" in done.output
    assert "\x1b" not in done.output


def test_the_python_api_gates_against_a_verified_baseline(audits: Audits, tmp_path: Path) -> None:
    import governance

    manifest = _edited_copy(tmp_path / "hiring")
    result = governance.audit(
        manifest, fail_on="medium", baseline=audits.signed_old, baseline_trust=audits.signer.cert
    )
    assert [r.id for r in result.gate_failures()] == ["DOC-MC-007"]
    assert result.baseline is not None and result.baseline.new == 1
    assert (
        result.baseline.verified == "signed report folder, verified against the trusted certificate"
    )
    tampered = tmp_path / "tampered"
    shutil.copytree(audits.signed_old, tampered)
    summary = tampered / "summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(governance.InputError, match="fails verification"):
        governance.audit(manifest, baseline=tampered)
