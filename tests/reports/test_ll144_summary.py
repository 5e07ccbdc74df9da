"""The NYC LL144 summary of results: what the report gives of it, and what the employer or the
auditor must add because the audit cannot know it, in every report a compliance officer reads."""

from __future__ import annotations

from governance.checks.fairness.evidence import FairnessEvidence
from governance.engine.result import AuditResult
from governance.render.console import render_console
from governance.render.html_report import render_html
from governance.render.ll144_summary import ll144_summary
from governance.render.markdown_summary import render_markdown


def _elements(result: AuditResult) -> dict[str, tuple[str, str]]:
    return {e.element: (e.in_report, e.to_add) for e in ll144_summary(result)}


def test_the_example_audit_gives_the_figures_and_names_what_the_employer_adds(
    example_audit_result: AuditResult,
) -> None:
    elements = _elements(example_audit_result)
    unknown = elements["Number of individuals of unknown category"]
    assert unknown == ("sex: 124; race_ethnicity: 140; sex & race_ethnicity: 262", "")
    excluded, justification = elements[
        "Categories under 2% of the data left out of the impact ratios"
    ]
    assert "LL144-SEL-RACE: race_ethnicity=Native Hawaiian or Pacific Islander" in excluded
    assert justification.startswith("The independent auditor's justification")
    # What the audit cannot know is never shown as given.
    assert elements["Distribution date of the AEDT"][0] == ""
    assert "cannot know" in elements["Distribution date of the AEDT"][1]
    source, kind = elements[
        "Source and explanation of the data: historical data of the AEDT, or test data"
    ]
    assert source.startswith(
        "dataset 'applicants', 4,000 rows, its selections and scores computed by this audit "
        "with the model model/hiring-screen.skops (sha256 90c953995658…)"
    )
    assert "historical data" in kind and "cannot tell" in kind
    assert elements["Groups the AEDT classifies candidates into, if it does"][0] == ""


def test_an_audit_citing_no_ll144_control_has_no_summary(result: AuditResult) -> None:
    rules = tuple(
        r.model_copy(update={"controls": tuple(c for c in r.controls if "ll144" not in c)})
        for r in result.rules
    )
    assert ll144_summary(result.model_copy(update={"rules": rules})) == ()
    assert "Local Law 144: the published summary" not in render_html(
        result.model_copy(update={"rules": rules})
    )


def test_the_reports_list_what_the_employer_adds(
    example_audit_result: AuditResult, result: AuditResult
) -> None:
    html = render_html(example_audit_result)
    assert "NYC Local Law 144: the published summary" in html
    assert "(the date the employer began using it): this audit cannot know it." in html
    markdown = render_markdown(result)
    assert "NYC LL144: the published summary also needs" in markdown
    assert "the AEDT's distribution date; the independent auditor." in markdown
    # A comment near its size budget drops the line (the report has the table) before the
    # coverage figures.
    crowded = render_markdown(example_audit_result)
    assert len(crowded.encode()) < 4096
    assert "NYC Local Law 144: 10 of" in crowded
    console = " ".join(render_console(example_audit_result, width=400).split())
    assert "NYC LL144: the published summary also needs" in console
    assert "the AEDT's distribution date; the independent auditor." in console


def test_unknown_counts_of_two_datasets_are_each_given(example_audit_result: AuditResult) -> None:
    """A feature's unknown count is a dataset's: a second dataset's is not dropped as a repeat
    of the first's."""
    first = next(r for r in example_audit_result.rules if r.id == "LL144-SEL-SEX")
    evidence = first.evidence
    assert isinstance(evidence, FairnessEvidence)
    holdout = evidence.model_copy(
        update={
            "dataset": "holdout",
            "feature_sets": tuple(
                s.model_copy(update={"unknown_rows": 7}) for s in evidence.feature_sets
            ),
        }
    )
    second = first.model_copy(update={"id": "LL144-SEL-SEX-HOLDOUT", "evidence": holdout})
    result = example_audit_result.model_copy(
        update={"rules": (*example_audit_result.rules, second)}
    )
    unknown, _ = _elements(result)["Number of individuals of unknown category"]
    assert unknown == (
        "applicants: sex: 124, race_ethnicity: 140, sex & race_ethnicity: 262; holdout: sex: 7"
    )


def test_an_audit_that_computed_no_ll144_figures_says_so_and_claims_none(
    example_audit_result: AuditResult,
) -> None:
    """LL144 rules cited but none ran to the end (the data lacked a column): the summary does
    not date figures that do not exist, and says the figures are still to be computed."""
    rules = tuple(
        r.model_copy(update={"evidence": None}) if r.id.startswith("LL144-") else r
        for r in example_audit_result.rules
    )
    elements = _elements(example_audit_result.model_copy(update={"rules": rules}))
    date, _ = elements["Date of the bias audit"]
    assert "figures" not in date
    rates, to_add = elements[
        "Number of applicants, selection or scoring rate and impact ratio of every category, "
        "by sex, by race/ethnicity and intersectionally"
    ]
    assert to_add.startswith("This audit computed no such figures")
