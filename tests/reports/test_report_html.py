"""The HTML report: escaped input text, accessible structure, evidence from any check kind."""

from __future__ import annotations

import re
from collections.abc import Callable

from governance.checks.documentation.evidence import (
    DocumentationEvidence,
    DocumentEvidence,
    SectionEvidence,
    SectionStatus,
)
from governance.engine.result import AuditResult
from governance.render.html_report import render_html
from governance.render.markdown_summary import render_markdown
from governance.render.report_outline import MAX_REPORT_TABLE_ROWS
from governance.vocabulary.evidence_table import EvidenceTable
from tests.reports.canonical_audit import GroupRatesEvidence

WithEvidence = Callable[[AuditResult, str, object], AuditResult]
HOSTILE_HEADING = "<script>alert('x')</script> Limitations"
HOSTILE_COLUMN = "{{ 7*7 }}"


class HostileTableEvidence(DocumentationEvidence):
    """Documentation evidence whose table has a column named like template code."""

    def tables(self) -> tuple[EvidenceTable, ...]:
        return (
            EvidenceTable(
                title="{% raw %}{{ config }}",
                columns=("required", HOSTILE_COLUMN),
                rows=((HOSTILE_HEADING, "{{ 7*7 }}"),),
            ),
        )


def _hostile(result: AuditResult, with_evidence: WithEvidence) -> AuditResult:
    evidence = HostileTableEvidence(
        documents=(
            DocumentEvidence(
                document="model_card",
                path="MODEL_CARD.md",
                sections=(
                    SectionEvidence(
                        required="Limitations",
                        status=SectionStatus.PLACEHOLDER,
                        heading=HOSTILE_HEADING,
                        line=45,
                    ),
                ),
            ),
        )
    )
    changed = with_evidence(result, "DOC-MC-005", evidence)
    rule = next(r for r in changed.rules if r.id == "DOC-MC-005")
    finding = rule.findings[0].model_copy(
        update={"message": f"section heading '{HOSTILE_HEADING}' holds {{{{ 7*7 }}}}"}
    )
    return changed.model_copy(
        update={
            "rules": tuple(
                r.model_copy(update={"findings": (finding,)}) if r.id == rule.id else r
                for r in changed.rules
            )
        }
    )


def test_html_and_template_syntax_from_inputs_is_escaped_not_executed(
    result: AuditResult, with_evidence: WithEvidence
) -> None:
    html = render_html(_hostile(result, with_evidence))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Limitations" in html
    assert "{{ 7*7 }}" in html  # shown as written...
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)  # charts are random bytes
    assert "49" not in text  # ...never evaluated
    assert "{% raw %}{{ config }}" in html


def test_the_markdown_summary_escapes_the_same_text(
    result: AuditResult, with_evidence: WithEvidence
) -> None:
    summary = render_markdown(_hostile(result, with_evidence))
    assert "<script>" not in summary
    assert "49" not in summary
    assert r"{{ 7\*7 }}" in summary  # inert in Markdown (braces mean nothing there), as written


def test_the_html_is_accessible(result: AuditResult) -> None:
    html = render_html(result)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Audit report: canonical</title>" in html
    assert html.count("<table") == html.count("<caption>")
    assert html.count("<th scope=") >= html.count("<thead>")
    assert '<nav class="contents" aria-label="Contents">' in html
    assert "<main>" in html


def test_every_outcome_waiver_status_and_input_is_shown(result: AuditResult) -> None:
    html = render_html(result)
    for rule in result.rules:
        assert f'id="rule-{rule.id}"' in html
    for text in ("Applied:", "Expired:", "Unused:", "the check crashed", "no dataset declares"):
        assert text in html
    for item in result.inputs:
        assert item.sha256 in html and item.path in html
    # roles read as words, so a narrow column breaks "model card" between them, not inside one
    assert "<td>model card</td>" in html and "<td>model_card</td>" not in html
    assert "539,595" in html  # sizes
    assert "Annex IV (3)" in html and "§5-301(b)" in html  # the coverage matrix, readable


def test_evidence_of_any_kind_is_rendered_through_tables_and_charts(
    result: AuditResult, with_evidence: WithEvidence
) -> None:
    evidence = GroupRatesEvidence(rates=(("female", 0.71), ("male", 1.0), ("unknown", None)))
    html = render_html(with_evidence(result, "DOC-MC-005", evidence))
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    (image,) = [alt for alt in images if "female" in alt]
    assert "female: 0.71 (flagged)" in image and "unknown: n/a" in image
    assert "<caption>Impact ratio by group</caption>" in html
    assert "hatched red bars break the rule" in html


def test_evidence_columns_get_room_for_their_longest_word() -> None:
    from governance.render.report_outline import column_widths

    columns = ("required", "status", "heading", "line", "words", "min words")
    rows = (("Preprocessing, cleaning and labeling", "placeholder", "A heading", "21", "0", "15"),)
    widths = column_widths(columns, rows)
    assert sum(widths) == 100
    assert widths[1] >= 13  # 'placeholder' is not split
    assert widths[0] > widths[2] > widths[3]  # long text gets the room, counts stay narrow
    one_word_each = column_widths(columns, (("Composition", "found", "Composition", "8", "", "—"),))
    assert sum(one_word_each) == 100 and min(one_word_each) > 0


def test_the_coverage_matrix_lists_articles_before_annexes_in_natural_order(
    result: AuditResult,
) -> None:
    from governance.render.report_outline import coverage_matrix

    rule = result.rules[0].model_copy(
        update={"controls": ("eu-ai-act:annex-iv(2)", "eu-ai-act:art10(2)", "eu-ai-act:art9")}
    )
    rows = coverage_matrix(result.model_copy(update={"rules": (rule,)}))
    assert [row.clause for row in rows] == ["Art. 9", "Art. 10(2)", "Annex IV (2)"]
    assert all(row.status is rule.outcome for row in rows)


def test_a_table_too_wide_for_portrait_goes_landscape_without_splitting_numbers() -> None:
    from governance.render.report_outline import table_layout

    columns = tuple(f"metric {i}" for i in range(13)) + ("note",)
    rows = (tuple("0.123456" for _ in range(13)) + ("counted, not compared",),)
    layout = table_layout(columns, rows)
    assert layout.landscape and 6 <= layout.font_size < 8
    assert sum(layout.widths) == 100
    narrow = table_layout(("group", "rate"), (("sex=Female", "0.31"),))
    assert not narrow.landscape and narrow.font_size == 8


def test_a_long_evidence_table_is_cut_in_the_report_saying_where_the_rest_is(
    result: AuditResult, with_evidence: WithEvidence
) -> None:
    rates = tuple((f"group {i}", i / 10_000) for i in range(MAX_REPORT_TABLE_ROWS + 300))
    long = with_evidence(result, "DOC-MC-005", GroupRatesEvidence(rates=rates))
    html = render_html(long)
    assert f"group {MAX_REPORT_TABLE_ROWS - 1}<" in html
    assert f"group {MAX_REPORT_TABLE_ROWS}<" not in html
    assert "… 300 more rows in audit.json." in html
    assert "group 1" not in render_markdown(long)  # the summary leaves evidence to the report


def test_the_report_says_which_model_computed_the_predictions(result: AuditResult) -> None:
    from governance.engine.result import ModelInfo, ScoredDatasetInfo

    assert "The audited model" not in render_html(result)  # an audit that loaded none
    model = ModelInfo(
        artifact="model/screen.skops",
        format="skops",
        sha256="e" * 64,
        size=5539,
        features=("years_experience", "education"),
        trusted_types=("numpy.float64",),
        scored=(
            ScoredDatasetInfo(
                dataset="applicants",
                rows=4000,
                prediction_column="model_prediction",
                score_column="model_score",
                predictions_sha256="f" * 64,
            ),
        ),
    )
    html = render_html(result.model_copy(update={"model": model}))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "The audit loaded model/screen.skops (skops" in text
    assert "2 input features: years_experience, education" in text
    assert "beyond skops' defaults, as the manifest lists them: numpy.float64" in text
    assert "applicants 4,000 model_prediction, model_score " + "f" * 64 in text
    unscored = result.model_copy(update={"model": model.model_copy(update={"scored": ()})})
    assert "No dataset was scored with it." in render_html(unscored)


def test_the_trusted_types_a_manifest_lists_are_quoted_as_identifiers(result: AuditResult) -> None:
    """A manifest (perhaps a pull request's) writes `trusted_types` freely, and the report now
    prints them: a direction override or a line break in one would reorder or forge the
    signed report's text, and an address in one is personal data."""
    from governance.engine.result import ModelInfo

    model = ModelInfo(
        artifact="model/screen.skops",
        format="skops",
        sha256="e" * 64,
        size=5539,
        features=("years_experience",),
        trusted_types=("numpy.float64\u202e\nall rules passed", "jane.doe@example.com"),
    )
    html = render_html(result.model_copy(update={"model": model}))
    assert "\u202e" not in html
    assert "jane.doe@example.com" not in html
    assert "numpy.float64" in html
