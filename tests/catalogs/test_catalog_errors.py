"""Bad catalogs and bad controls: a control in no catalog, a user catalog with an id twice, a
malformed catalog, a catalog outside the audit's folder. Each is exit 2 with one message naming
the file, line and key, and no report written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from tests.conftest import Writer

runner = CliRunner()

POLICY = """\
policy: acme
{catalogs}rules:
  - id: DOC-1
    title: Card has an intended use
    severity: high
    controls: [{controls}]
    documentation: {{document: model_card, required_sections: [Intended use]}}
"""

CATALOG = """\
framework: acme-ai
title: Acme AI standard
items:
  - {id: "sec-1", title: "Models are documented"}
  - {id: "sec-2", title: "Data are documented"}
"""


def _policy(write: Writer, controls: str, catalogs: str = "") -> Path:
    return write("policy.yaml", POLICY.format(controls=controls, catalogs=catalogs))


def _audit(small_audit: Path, tmp_path: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(small_audit), "--out", str(out)])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr, out


def test_a_control_in_no_catalog_is_a_policy_error_with_a_suggestion(
    small_audit: Path, write: Writer, tmp_path: Path
) -> None:
    _policy(write, '"eu-ai-act:annex-iv(1)(a)", "eu-ai-act:art10(2)(z)"')
    code, stderr, out = _audit(small_audit, tmp_path)
    assert code == 2
    assert "policy.yaml:6:" in stderr
    assert "(rules.0.controls.1)" in stderr
    assert "control 'eu-ai-act:art10(2)(z)' is not an item of the EU AI Act catalog" in stderr
    assert "did you mean 'eu-ai-act:art10(2)(" in stderr
    assert stderr.count("error") == 1
    assert not out.exists()


def test_a_misspelt_framework_is_named_with_the_nearest_control(
    write: Writer, tmp_path: Path
) -> None:
    policy = _policy(write, '"eu-ai-akt:art14"')
    result = runner.invoke(app, ["policies", "validate", str(policy)])
    assert result.exit_code == 2
    assert "control 'eu-ai-akt:art14' names no known framework" in result.stderr
    assert "(did you mean 'eu-ai-act:art14'?)" in result.stderr


def test_a_user_catalog_declared_by_the_policy_extends_the_known_items(
    write: Writer, tmp_path: Path
) -> None:
    write("acme-catalog.yaml", CATALOG)
    policy = _policy(write, '"acme-ai:sec-1"', catalogs="catalogs: [acme-catalog.yaml]\n")
    assert runner.invoke(app, ["policies", "validate", str(policy)]).exit_code == 0
    shown = runner.invoke(app, ["policies", "coverage", str(policy)])
    assert shown.exit_code == 0, shown.stderr
    assert "Acme AI standard: 1 of 2 items covered" in shown.stdout
    assert "[x] sec-1  Models are documented  <- DOC-1" in shown.stdout
    assert "[ ] sec-2  Data are documented" in shown.stdout


def test_a_user_catalog_item_is_hashed_as_an_audit_input(
    small_audit: Path, write: Writer, tmp_path: Path
) -> None:
    from governance import audit

    write("acme-catalog.yaml", CATALOG)
    _policy(write, '"acme-ai:sec-1"', catalogs="catalogs: [acme-catalog.yaml]\n")
    result = audit(small_audit)
    assert ("catalog", "acme-catalog.yaml") in {(i.role, i.path) for i in result.inputs}
    (acme,) = result.frameworks
    assert (acme.framework, acme.covered, acme.total) == ("acme-ai", 1, 2)


@pytest.mark.parametrize(
    ("catalog", "where", "message"),
    [
        (
            CATALOG + '  - {id: "sec-1", title: "Again"}\n',
            "acme-catalog.yaml:6:",
            "catalog item 'acme-ai:sec-1' is defined twice (first in ",
        ),
        (
            CATALOG.replace("acme-ai", "eu-ai-act").replace("sec-2", "art14"),
            "acme-catalog.yaml:5:",
            "catalog item 'eu-ai-act:art14' is defined twice (first in ",
        ),
        (
            CATALOG.replace('title: "Data are documented"', 'name: "Data are documented"'),
            "acme-catalog.yaml:5:",
            "unknown key 'name'",
        ),
        (
            "framework: acme-ai\ntitle: Acme\nitems: []\n",
            "acme-catalog.yaml:3:",
            "'items'",
        ),
        (
            CATALOG.replace('"sec-2"', '"sec 2"'),
            "acme-catalog.yaml:5:",
            "'id'",
        ),
        ("- just\n- a list\n", "acme-catalog.yaml:1", "a control catalog must be a mapping"),
    ],
    ids=["duplicate within", "duplicate across", "unknown key", "no items", "bad id", "a list"],
)
def test_a_bad_user_catalog_is_one_located_error_and_nothing_is_written(
    small_audit: Path, write: Writer, tmp_path: Path, catalog: str, where: str, message: str
) -> None:
    write("acme-catalog.yaml", catalog)
    _policy(write, '"eu-ai-act:art14"', catalogs="catalogs: [acme-catalog.yaml]\n")
    code, stderr, out = _audit(small_audit, tmp_path)
    assert code == 2
    assert where in stderr
    assert message in stderr
    assert not out.exists()


def test_a_duplicate_names_both_places(small_audit: Path, write: Writer, tmp_path: Path) -> None:
    write("acme-catalog.yaml", CATALOG.replace("acme-ai", "eu-ai-act").replace("sec-2", "art14"))
    _policy(write, '"eu-ai-act:art14"', catalogs="catalogs: [acme-catalog.yaml]\n")
    _, stderr, _ = _audit(small_audit, tmp_path)
    assert "eu-ai-act.yaml, line " in stderr  # the built-in definition
    assert "acme-catalog.yaml:5:" in stderr  # the user's


def test_a_catalog_outside_the_audit_folder_is_refused(
    small_audit: Path, write: Writer, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text(CATALOG, encoding="utf-8")
    _policy(write, '"eu-ai-act:art14"', catalogs=f"catalogs: [../{outside.name}]\n")
    code, stderr, out = _audit(small_audit, tmp_path)
    assert code == 2
    assert "policy.yaml:2:" in stderr and "is outside the manifest's folder" in stderr
    assert not out.exists()


def test_an_unknown_framework_on_the_command_line_is_a_usage_error(
    small_audit: Path, tmp_path: Path
) -> None:
    for argv in (
        ["policies", "coverage", "--framework", "nist-rmf"],
        ["audit", str(small_audit), "--out", str(tmp_path / "out"), "--framework", "nist-rmf"],
    ):
        result = runner.invoke(app, argv)
        assert result.exit_code == 2
        assert "--framework nist-rmf: no catalog for this framework" in result.stderr
        assert "(did you mean 'nist-ai-rmf'?)" in result.stderr
    assert not (tmp_path / "out").exists()
