"""`governance check`: manifests, policies and waivers validated without reading data, and
the documentation rules alone with `--documents`."""

from __future__ import annotations

from typer.testing import CliRunner

from governance.cli.app import app
from tests.conftest import DOC_POLICY, GOOD_CARD

runner = CliRunner()


def _audit(write, card=GOOD_CARD, waiver_rule="DOC-1"):
    write("card.md", card)
    write("policy.yaml", DOC_POLICY)
    # Not a dataset at all: neither command may read it.
    write("data.csv", "\x00\x01 not a csv \xff")
    write(
        "waivers.yaml",
        f"""\
        waivers:
          - rule: {waiver_rule}
            reason: Being written.
            owner: a@acme.example
            approved_by: DPO
            expires: 2026-01-01
        """,
    )
    return write(
        "audit.yaml",
        """\
        name: small
        model: {card: card.md}
        datasets:
          d: {path: data.csv, label: y}
        policies: [policy.yaml, builtin:gdpr-pii]
        waivers: waivers.yaml
        """,
    )


def test_check_validates_without_reading_data(write):
    manifest = _audit(write)
    result = runner.invoke(app, ["check", str(manifest)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("audit.yaml: valid, 4 rules, 1 waivers\n")


def test_check_names_a_waiver_for_an_unknown_rule(write):
    manifest = _audit(write, waiver_rule="DOC-2")
    result = runner.invoke(app, ["check", str(manifest)])
    assert result.exit_code == 2
    assert "waivers.yaml:2" in result.output and "'DOC-2'" in result.output


def test_documents_runs_only_documentation_rules(write):
    manifest = _audit(write)
    result = runner.invoke(app, ["check", "--documents", str(manifest)])
    assert result.exit_code == 0, result.output
    assert "1 documentation rules" in result.output
    assert "passed   DOC-1 (high)" in result.output
    assert "PII" not in result.output


def test_documents_fails_on_a_missing_section_at_its_file(write):
    manifest = _audit(write, card=GOOD_CARD.replace("## Limitations", "## Notes"))
    result = runner.invoke(app, ["check", "--documents", str(manifest)])
    assert result.exit_code == 1
    assert f"{manifest.parent / 'card.md'}: section 'Limitations' is missing" in result.output
    lenient = runner.invoke(app, ["check", "--documents", "--fail-on", "critical", str(manifest)])
    assert lenient.exit_code == 0
