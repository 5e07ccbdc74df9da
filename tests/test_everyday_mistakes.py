"""A new user's everyday mistakes, each refused with one message that says where and what to
do: exit 2, no traceback, no report written, no value of the data quoted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.errors import InputFileError
from tests.conftest import Writer, audit_refused

APPLICANTS = """\
applicant_email,sex,race,hired,predicted
ann@example.com,F,Asian,1,1
bob@example.com,M,White,0,1
cy@example.com,F,White,1,0
dee@example.com,M,Asian,0,0
"""

FAIRNESS_POLICY = """\
policy: mine
rules:
  - id: FAIR-1
    title: Selection rates within four-fifths
    severity: high
    fairness: {metric: selection_rate, compare: ratio_to_max, min: 0.8}
"""


def _manifest(write: Writer, dataset: str) -> Path:
    write("data/applicants.csv", APPLICANTS)
    write("policy.yaml", FAIRNESS_POLICY)
    return write(
        "audit.yaml",
        "name: mine\ndatasets:\n  applicants:\n" + dataset + "policies: [policy.yaml]\n",
    )


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        (  # a key indented one space less than its neighbours
            "    path: data/applicants.csv\n   prediction: predicted\n",
            (
                "audit.yaml:5:4: audit manifest is not valid YAML: this line is indented to a "
                "depth no line above it has",
                "hint: indent the keys of one mapping",
            ),
        ),
        (
            "    path: data/applicants.csv\n\tprediction: predicted\n",
            ("audit.yaml:5:1:", "a tab character: YAML indents with spaces only"),
        ),
        (  # named where the quote opens, not at the end of the file the parser reached
            "    path: 'data/applicants.csv\n    prediction: predicted\n",
            (
                "audit.yaml:4:11: audit manifest is not valid YAML: a quote is opened and never "
                "closed",
            ),
        ),
    ],
    ids=["indentation", "tab", "unclosed-quote"],
)
def test_a_yaml_mistake_is_named_in_plain_words(write, dataset, expected):
    output = audit_refused(_manifest(write, dataset), *expected)
    assert "<block" not in output  # the parser's own token names


def _quotes_no_value(output: str) -> None:
    for value in ("ann@example.com", "bob@example.com", "Asian", "White"):
        assert value not in output


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        (  # a label no rule reads: it used to pass unnoticed
            "    path: data/applicants.csv\n    label: hird\n    prediction: predicted\n"
            "    sensitive_features: [sex]\n",
            "audit.yaml:5:5 (datasets.applicants.label): dataset 'applicants' has no column "
            "'hird' (declared as its label) (did you mean 'hired'?)",
        ),
        (
            "    path: data/applicants.csv\n    prediction: predicted\n"
            "    sensitive_features: [sex, rcae]\n",
            "audit.yaml:6:31 (datasets.applicants.sensitive_features.1): dataset 'applicants' "
            "has no column 'rcae' (named as a sensitive feature) (did you mean 'race'?)",
        ),
        (  # a declaration that would allow nothing
            "    path: data/applicants.csv\n    prediction: predicted\n"
            "    sensitive_features: [sex]\n    pii_columns: {applicant_emial: EMAIL_ADDRESS}\n",
            "(datasets.applicants.pii_columns.applicant_emial): dataset 'applicants' has no "
            "column 'applicant_emial' (declared in pii_columns) (did you mean 'applicant_email'?)",
        ),
    ],
    ids=["label", "sensitive-feature", "pii-columns"],
)
def test_a_misspelt_column_is_named_at_its_key_with_the_closest_one(write, dataset, expected):
    output = audit_refused(
        _manifest(write, dataset),
        expected,
        "hint: its columns are: applicant_email, sex, race, hired, predicted",
    )
    _quotes_no_value(output)


def test_a_positive_label_not_in_the_data_is_named_at_the_manifest_key(write):
    dataset = (
        "    path: data/applicants.csv\n    prediction: predicted\n    positive_label: 'yes'\n"
        "    sensitive_features: [sex]\n"
    )
    audit_refused(
        _manifest(write, dataset),
        "audit.yaml:6:5 (datasets.applicants.positive_label): rule 'FAIR-1' (policy.yaml, "
        "line 3): positive label 'yes' does not occur in column 'predicted'",
    )


def test_an_error_at_a_built_in_rule_names_the_pack_not_an_installed_path(write, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    nested = pa.table({"sex": [{"code": "F"}, {"code": "M"}], "predicted": [1, 0]})
    pq.write_table(nested, tmp_path / "data.parquet")
    manifest = write(
        "audit.yaml",
        "name: mine\ndatasets:\n  applicants:\n    path: data.parquet\n"
        "    prediction: predicted\n    sensitive_features: [sex]\n"
        "policies: [builtin:eeoc-four-fifths]\n",
    )
    output = audit_refused(manifest, "error: builtin:eeoc-four-fifths:")
    assert re.match(r"error: builtin:eeoc-four-fifths:\d+ \(fairness\): rule 'EEOC-4-5': ", output)
    assert "_bundled" not in output and "policies/eeoc" not in output


@pytest.mark.parametrize(
    ("name", "content", "extra", "expected"),
    [
        (
            "applicants.csv",
            APPLICANTS.replace(",", ";").encode(),
            "",
            (
                "'applicants.csv' is not a CSV file: its header line separates names with ';', "
                "not ','",
                "hint: save it with ',' between values",
            ),
        ),
        (
            "applicants.xlsx",
            b"PK\x03\x04 a workbook",
            "",
            (
                "'applicants.xlsx' is a spreadsheet, which is not read as a dataset",
                "hint: export the sheet as CSV (UTF-8) or Parquet",
            ),
        ),
        (
            "applicants.xlsx",
            b"PK\x03\x04 a workbook",
            "    format: csv\n",
            ("it is a ZIP archive (an Excel or OpenDocument workbook is one)",),
        ),
    ],
    ids=["semicolons", "xlsx", "xlsx-as-csv"],
)
def test_a_file_saved_in_another_shape_says_how_to_save_it(
    write, tmp_path, monkeypatch, name, content, extra, expected
):
    manifest = _manifest(
        write,
        f"    path: data/{name}\n{extra}    prediction: predicted\n    sensitive_features: [sex]\n",
    )
    (tmp_path / "data" / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)  # the data file is named as seen from here
    output = audit_refused(manifest, f"error: data/{name}: ", *expected)
    _quotes_no_value(output)


def test_a_one_column_csv_whose_header_holds_a_semicolon_is_read(tmp_path):
    from governance.data.format_sniffing import check_content_matches

    notes = tmp_path / "notes.csv"
    notes.write_text("comments (free text; optional)\nfine\nlate; rescheduled\ngood\n")
    check_content_matches(notes, "csv")  # its rows do not split on ';' as the header does
    saved_with_semicolons = tmp_path / "applicants.csv"
    saved_with_semicolons.write_text("sex;hired\nF;1\nM;0\n")
    with pytest.raises(InputFileError, match="separates names with ';'"):
        check_content_matches(saved_with_semicolons, "csv")


def test_a_csv_with_a_byte_order_mark_reads_its_first_column_by_name(write, tmp_path):
    manifest = _manifest(
        write,
        "    path: data/applicants.csv\n    label: hired\n    prediction: predicted\n"
        "    pii_columns: {applicant_email: EMAIL_ADDRESS}\n",
    )
    (tmp_path / "data" / "applicants.csv").write_bytes(b"\xef\xbb\xbf" + APPLICANTS.encode())
    from governance.engine.run import run_audit
    from governance.errors import InputError

    with pytest.raises(InputError, match="declares no sensitive_features"):  # read past the BOM
        run_audit(manifest)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("MODEL-CARD.md", "(model.card): MODEL-CARD.md not found (did you mean 'MODEL_CARD.md'?)"),
        ("docs/card.md", "(model.card): docs/card.md not found (did you mean 'docs/CARD.md'?)"),
        ("nothing-like-it.md", "(model.card): nothing-like-it.md not found\n"),
    ],
)
def test_a_missing_file_suggests_the_file_beside_it_meant(write, written, expected):
    write("MODEL_CARD.md", "# card\n")
    write("docs/CARD.md", "# card\n")
    manifest = write("audit.yaml", f"name: mine\nmodel: {{card: {written}}}\npolicies: [p.yaml]\n")
    write("p.yaml", "policy: p\nrules: []\n")
    audit_refused(manifest, expected)


def test_verify_on_an_unsigned_report_folder_says_it_was_never_signed(small_audit, tmp_path):
    from typer.testing import CliRunner

    from governance.cli.app import app

    runner = CliRunner()
    out = tmp_path / "reports"
    assert runner.invoke(app, ["audit", str(small_audit), "--out", str(out), "-q"]).exit_code == 0
    result = runner.invoke(app, ["verify", str(out), "--allow-untrusted"])
    assert result.exit_code == 1  # nothing verified: a failed verification, not a usage error
    assert (
        f"WARNING: {out.as_posix()} holds no attestation.intoto.jsonl nor signer.pem: nothing "
        "in it is signed. An audit signs its reports with --sign"
    ) in result.output


def test_verify_on_a_folder_that_holds_no_report_is_a_usage_error(write, tmp_path):
    from typer.testing import CliRunner

    from governance.cli.app import app

    write("data/applicants.csv", APPLICANTS)
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "data"), "--allow-untrusted"])
    assert result.exit_code == 2
    assert f"error: {(tmp_path / 'data').as_posix()} is not a report folder: it holds none of " in (
        result.output
    )
    assert "Traceback" not in result.output


def test_no_manifest_here_says_how_to_name_or_write_one(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from governance.cli.app import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "audit.yml").write_text("name: mine\n")
    result = CliRunner().invoke(app, ["audit"])
    assert result.exit_code == 2
    assert result.output == (
        "error: audit.yaml: audit manifest not found (did you mean 'audit.yml'?)\n"
        "  hint: name the manifest (governance audit path/to/audit.yaml), or write one with "
        "governance init\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yml"]  # nothing written


def test_a_waiver_for_a_misspelt_rule_suggests_the_rule_meant(write):
    write(
        "waivers.yaml",
        "waivers:\n  - rule: FAIR1\n    reason: r\n    owner: o@x.example\n"
        "    approved_by: A\n    expires: 2027-01-01\n",
    )
    manifest = _manifest(write, "    path: data/applicants.csv\n    prediction: predicted\n")
    manifest.write_text(manifest.read_text() + "waivers: waivers.yaml\n")
    audit_refused(
        manifest,
        "waivers.yaml:2:5 (waivers.0.rule): waiver for rule 'FAIR1', which no policy of this "
        "audit defines (did you mean 'FAIR-1'?)",
    )
