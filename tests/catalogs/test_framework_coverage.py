"""Coverage per framework: counted in leaf items, a parent covered only through its sub-items,
items the signed report answers, and the figure every report shows."""

from __future__ import annotations

import time
from pathlib import Path

from typer.testing import CliRunner

from governance.catalogs.loading import builtin_catalog, load_catalog
from governance.cli.app import app
from governance.engine.framework_coverage import Citation, framework_coverage
from governance.engine.result import FrameworkCoverage, Outcome
from tests.conftest import Writer

runner = CliRunner()


def _eu(*citations: Citation, by_report: tuple[str, ...] = (), signed: bool = False):
    (eu,) = framework_coverage(
        builtin_catalog(), citations, by_report=by_report, report_signed=signed
    )
    return eu, {item.control: item for item in eu.items}


def test_a_rule_citing_a_parent_covers_none_of_its_sub_items() -> None:
    eu, items = _eu(Citation("R1", ("eu-ai-act:art10(2)",), Outcome.PASSED))
    assert items["eu-ai-act:art10(2)"].rules[0].rule == "R1"
    assert not items["eu-ai-act:art10(2)"].covered
    assert not items["eu-ai-act:art10(2)(a)"].covered
    assert (eu.covered, eu.total) == (0, 59)


def test_a_parent_is_covered_when_every_sub_item_is_and_takes_their_worst_outcome() -> None:
    letters = "abcdefgh"
    eu, items = _eu(
        *(Citation(f"R{x}", (f"eu-ai-act:art10(2)({x})",), Outcome.PASSED) for x in letters[1:]),
        Citation("RA", ("eu-ai-act:art10(2)(a)",), Outcome.FAILED),
    )
    assert items["eu-ai-act:art10(2)"].covered
    assert items["eu-ai-act:art10(2)"].outcome is Outcome.FAILED
    assert not items["eu-ai-act:art10"].covered  # art10(1), (3)-(6) are not
    assert (eu.covered, eu.total, eu.failing) == (8, 59, 1)
    assert eu.summary() == "EU AI Act: 8 of 59 items covered, 1 failing"
    assert len(eu.uncovered) == 51


def test_a_skipped_rule_tested_nothing_so_covers_nothing() -> None:
    eu, items = _eu(
        Citation("SKIP", ("eu-ai-act:art10(2)(a)",), Outcome.SKIPPED),
        Citation("RAN", ("eu-ai-act:art10(2)(b)",), Outcome.PASSED),
        Citation("PLAN", ("eu-ai-act:art10(2)(c)",)),  # `policies coverage`: no audit ran
    )
    skipped = items["eu-ai-act:art10(2)(a)"]
    assert [rule.rule for rule in skipped.rules] == ["SKIP"]  # still listed, with its outcome
    assert not skipped.covered
    assert items["eu-ai-act:art10(2)(b)"].covered and items["eu-ai-act:art10(2)(c)"].covered
    assert eu.covered == 2


def test_an_errored_rule_tested_nothing_so_covers_nothing() -> None:
    # It could not run (a crash, a missing input): no more a test of its items than a skip.
    eu, items = _eu(
        Citation("CRASHED", ("eu-ai-act:art10(2)(a)",), Outcome.ERRORED),
        Citation("FOUND", ("eu-ai-act:art10(2)(b)",), Outcome.FAILED),
    )
    errored = items["eu-ai-act:art10(2)(a)"]
    assert [rule.rule for rule in errored.rules] == ["CRASHED"]
    assert not errored.covered
    assert items["eu-ai-act:art10(2)(b)"].covered  # a failure is a test that was run
    assert eu.covered == 1


def test_an_item_the_report_answers_is_covered_only_when_the_report_is_signed() -> None:
    citation = Citation("R", ("eu-ai-act:art14",), Outcome.PASSED)
    answered = ("eu-ai-act:annex-iv(2)(g)",)
    _, unsigned = _eu(citation, by_report=answered, signed=False)
    eu, signed = _eu(citation, by_report=answered, signed=True)
    assert not unsigned["eu-ai-act:annex-iv(2)(g)"].covered
    assert signed["eu-ai-act:annex-iv(2)(g)"].covered
    assert signed["eu-ai-act:annex-iv(2)(g)"].by_report
    assert eu.covered == 2


def test_frameworks_shown_are_those_cited_and_those_named() -> None:
    shown = framework_coverage(
        builtin_catalog(),
        [Citation("R", ("gdpr:art9",), None)],
        named=["nist-ai-rmf"],
        report_signed=False,
    )
    assert [f.framework for f in shown] == ["gdpr", "nist-ai-rmf"]
    assert shown[1].covered == 0 and shown[1].total == 72


def test_policies_coverage_prints_a_framework_without_running_an_audit() -> None:
    result = runner.invoke(
        app, ["policies", "coverage", "--framework", "nist-ai-rmf", "builtin:eu-ai-act-annex-iv"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "EU AI Act: 27 of 59 items covered" in lines
    assert "NIST AI RMF 1.0: 3 of 72 items covered" in lines
    assert "  [x] measure-2.1  Test sets, metrics and TEVV tools are documented  <- AIV-2G" in lines
    assert (
        "  [ ] govern-1.1  Legal and regulatory requirements on AI are understood and documented"
        in lines
    )
    assert any("AIV-2G, the signed audit report" in line for line in lines)
    assert "not legal advice" in result.stdout


def test_an_audit_records_coverage_and_its_reports_show_it(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "audit",
            str(example),
            "--out",
            str(out),
            "-f",
            "json,md,html",
            "-q",
            "--framework",
            "iso-42001",
        ],
    )
    assert result.exit_code == 1, result.stderr
    from governance.engine.result import AuditResult

    audited = AuditResult.model_validate_json((out / "audit.json").read_text(encoding="utf-8"))
    assert audited.schema_version == "1.3"
    names = [f.framework for f in audited.frameworks]
    assert names == ["eeoc", "eu-ai-act", "gdpr", "iso-42001", "nyc-ll144"]
    eu = next(f for f in audited.frameworks if f.framework == "eu-ai-act")
    found = audited.catalog_item("eu-ai-act:annex-iv(2)(d)")
    assert found is not None and found[0] is eu and found[1].title.startswith("Data requirements")
    assert audited.catalog_item("eu-ai-act:annex-iv(10)") is None
    figure = eu.summary()
    assert figure.startswith("EU AI Act: ") and "items covered" in figure
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"- {figure}" in summary
    assert len(summary.encode()) < 4096
    html = (out / "report.html").read_text(encoding="utf-8")
    assert figure in html
    assert "ISO/IEC 42001:2023 Annex A: 0 of 38 items covered" in html
    uncovered = 'title="eu-ai-act:annex-iv(5): The risk management system (Art. 9)">Annex IV (5)<'
    assert uncovered in html
    # A PDF shows no tooltip: what each uncovered item asks is written out beside it.
    assert ">§5-303</span> Published before use: audit date, summary of results" in html
    assert "not legal advice" in html
    assert "--framework iso-42001" in html  # the reproduce command names it again


def test_summary_drops_coverage_lines_before_going_over_budget() -> None:
    from governance.render.markdown_summary import SIZE_BUDGET, render_markdown
    from tests.reports.canonical_audit import canonical_result  # noqa: PLC0415

    result = canonical_result()
    many = tuple(
        FrameworkCoverage(
            framework=f"f{i}",
            title=f"Framework {i} " + "x" * 80,
            items=(),
            total=1,
            covered=0,
            failing=0,
        )
        for i in range(60)
    )
    text = render_markdown(result.model_copy(update={"frameworks": many}))
    assert len(text.encode()) < SIZE_BUDGET
    assert "Framework 0" not in text
    few = render_markdown(result.model_copy(update={"frameworks": many[:1]}))
    assert "Framework 0" in few


def test_the_annex_iv_pack_reads_the_technical_documentation(write: Writer, tmp_path: Path) -> None:
    from governance import audit

    write("card.md", "# Card\n\n## Intended purpose\n\nScreening of junior analyst applications.\n")
    write(
        "TECHNICAL.md",
        "# Technical documentation\n\n## Cybersecurity\n\n"
        "Inputs are validated and the model file is pinned by its digest before loading.\n",
    )
    manifest = write(
        "audit.yaml",
        """\
        name: annex
        model: {card: card.md, technical_documentation: TECHNICAL.md}
        policies: [builtin:eu-ai-act-annex-iv]
        """,
    )
    result = audit(manifest)
    outcomes = {rule.id: rule.outcome for rule in result.rules}
    assert outcomes["AIV-2H"] is Outcome.PASSED  # found in the technical documentation
    assert outcomes["AIV-5"] is Outcome.FAILED  # in neither
    assert ("technical_documentation", "TECHNICAL.md") in {(i.role, i.path) for i in result.inputs}
    (eu, nist) = result.frameworks
    assert not {i.control: i for i in eu.items}["eu-ai-act:annex-iv(2)(g)"].by_report  # unsigned


def test_without_technical_documentation_the_model_card_stands_in(
    write: Writer, tmp_path: Path
) -> None:
    from governance import audit

    write(
        "card.md",
        "# Card\n\n## Cybersecurity\n\nThe model file is pinned by its digest before it loads.\n",
    )
    manifest = write(
        "audit.yaml",
        "name: annex\nmodel: {card: card.md}\npolicies: [builtin:eu-ai-act-annex-iv]\n",
    )
    outcomes = {rule.id: rule.outcome for rule in audit(manifest).rules}
    assert outcomes["AIV-2H"] is Outcome.PASSED


def test_a_catalog_of_many_items_is_covered_in_time_linear_in_its_size(tmp_path: Path) -> None:
    """A catalog from a pull request may hold tens of thousands of items: each item's leaves
    are found in one pass, not one pass over every item per item (minutes at 20,000)."""
    lines = ["framework: big", "title: Big", "items:"]
    for i in range(10_000):
        lines += [f"  - {{id: s{i}, title: t}}", f"  - {{id: s{i}(a), title: t}}"]
    catalog_file = tmp_path / "big.yaml"
    catalog_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = load_catalog([catalog_file])
    started = time.monotonic()
    (big,) = framework_coverage(
        catalog, [Citation("R", ("big:s7(a)",), Outcome.PASSED)], report_signed=False
    )
    assert time.monotonic() - started < 30
    items = {item.control: item for item in big.items}
    assert (big.total, big.covered) == (10_000, 1)
    assert items["big:s7"].covered and not items["big:s7"].leaf
    assert not items["big:s8"].covered
