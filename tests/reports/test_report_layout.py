"""The report reads well page by page: chart labels are never cut and name the features once,
excluded groups are marked, column widths follow the text, one number format per kind,
identifiers break only between their names, and no heading ends a page."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from governance.engine.run import run_audit
from governance.render.charts import _font, _wrapped, chart_description, chart_png, display_labels
from governance.render.line_breaks import breakable, name_parts
from governance.render.number_formats import column_texts
from governance.render.pdf_report import report_document
from governance.render.report_outline import table_layout
from governance.vocabulary.evidence_table import ChartBar, EvidenceChart
from tests.signing.report_factory import EXAMPLE

LONG = "Native Hawaiian or Pacific Islander"
INTERSECTIONAL = EvidenceChart(
    title="selection rate by sex & race_ethnicity",
    value_label="selection rate",
    bars=(
        ChartBar(label="sex=Female & race_ethnicity=Black or African American", value=0.16),
        ChartBar(label=f"sex=Male & race_ethnicity={LONG}", value=0.39, excluded=True),
        ChartBar(label="sex=Male & race_ethnicity=White", value=0.35, flagged=True),
    ),
)


def test_intersectional_labels_show_values_once_the_title_names_the_features() -> None:
    assert display_labels(INTERSECTIONAL) == [
        "Female · Black or African American",
        f"Male · {LONG} (excluded)",
        "Male · White",
    ]
    mixed = INTERSECTIONAL.model_copy(
        update={"bars": (*INTERSECTIONAL.bars, ChartBar(label="applicants.notes", value=0.5))}
    )
    assert display_labels(mixed)[0] == INTERSECTIONAL.bars[0].label  # nothing to share


def test_a_long_label_wraps_onto_lines_and_loses_no_letter() -> None:
    font = _font(13)
    text = f"race_ethnicity={LONG} and a much longer qualifier for good measure"
    lines = _wrapped(text, font, 200)
    assert len(lines) > 1 and all(font.getlength(line) <= 200 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert "…" not in "".join(lines)


def test_an_excluded_group_is_drawn_in_grey_and_said_so() -> None:
    image = Image.open(io.BytesIO(chart_png(INTERSECTIONAL))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 16) or []}
    assert (0xB5, 0xB5, 0xB5) in colours  # the excluded bar
    assert "(excluded)" in chart_description(INTERSECTIONAL)


def test_the_result_column_gets_the_room_its_reasons_need() -> None:
    columns = ("group", "rows", "share", "rate", "95% CI", "impact ratio", "p-value", "result")
    reason = "excluded: 1.70% of the rows, under the minimum share of 2.00%"
    rows = (
        (
            "race_ethnicity=White",
            "1581",
            "39.5%",
            "0.345",
            "0.322–0.368",
            "0.930",
            "0.274 (z)",
            "passes",
        ),
        (f"race_ethnicity={LONG}", "68", "1.7%", "0.338", "0.237–0.457", "—", "—", reason),
        (
            "race_ethnicity=(unknown)",
            "140",
            "3.5%",
            "0.379",
            "0.303–0.461",
            "—",
            "—",
            "sensitive value missing or unknown: counted, not compared",
        ),
    )
    widths = table_layout(columns, rows).widths
    result, interval = widths[-1], widths[4]
    assert result > 1.4 * interval  # before: 12% for the reasons, 15% for 11-digit intervals
    # 100 characters of 8pt text across the page: every name fits whole in its column.
    assert widths[0] >= len("race_ethnicity=") and widths[4] >= len("0.322–0.368")


def test_one_number_format_per_kind_down_a_column() -> None:
    assert column_texts("rate", [0.176, 0.1363, 1.0, None]) == ["0.176", "0.136", "1.000", "—"]
    assert column_texts("share", [0.467, 0.00725]) == ["46.7%", "0.7%"]
    assert column_texts("95% bound if none", [0.002991, None]) == ["0.3%", "—"]
    assert column_texts("value", [0.0012, 0.5]) == ["0.0012", "0.5000"]
    assert column_texts("rows", [1868, 20_000]) == ["1868", "20,000"]


def test_identifiers_break_between_names_never_inside_one_or_a_number() -> None:
    assert str(breakable("applicants.contact_email")) == "applicants.<wbr>contact_email"
    assert str(breakable("race_ethnicity=(unknown) 0.3222")) == (
        "race_ethnicity=<wbr>(unknown) 0.3222"
    )
    assert str(breakable("<b>x.y</b>")) == "&lt;b&gt;x.<wbr>y&lt;/<wbr>b&gt;"  # still escaped
    assert name_parts("applicants.contact_email") == ["applicants.", "contact_email"]


def test_the_pdf_marks_a_break_with_the_character_weasyprint_draws_for_wbr() -> None:
    # The same break and the same text, without an element and a pseudo-element to lay out at
    # each place; a browser keeps `<wbr>`, which adds nothing to copied text.
    assert str(breakable("applicants.contact_email", "pdf")) == "applicants.\u200bcontact_email"
    assert str(breakable("applicants.contact_email", "html")) == "applicants.<wbr>contact_email"
    assert str(breakable("<b>x.y", "pdf")) == "&lt;b&gt;x.\u200by"


def _block_boxes(box: object) -> Iterator[object]:
    for child in getattr(box, "children", ()):
        if type(child).__name__ in ("BlockBox", "TableWrapperBox", "LineBox"):
            yield child
        if type(child).__name__ != "LineBox":
            yield from _block_boxes(child)


def test_no_heading_ends_a_page_of_the_example_report(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "hiring")
    document = report_document(run_audit(tmp_path / "hiring" / "audit.yaml")).render()
    stranded = []
    heads: dict[int, list[int]] = {}  # a rule's heading, badges and facts: on one page
    for number, page in enumerate(document.pages, start=1):
        boxes = list(_block_boxes(page._page_box))
        for box in boxes:
            if "rule-head" in (getattr(box, "element", None) or {}).get("class", ""):  # type: ignore[union-attr]
                heads.setdefault(id(box.element), []).append(number)  # type: ignore[attr-defined]
        headings = [b for b in boxes if getattr(b, "element_tag", "") in ("h2", "h3", "h4")]
        if not headings:
            continue
        last = headings[-1]
        after = boxes[boxes.index(last) + 1 :]
        # What follows the heading on its page, its own text aside.
        if not [b for b in after if not _inside(b, last)]:
            stranded.append((number, last.element_tag))  # type: ignore[attr-defined]
    assert len(document.pages) > 10 and not stranded
    assert heads and all(len(pages) == 1 for pages in heads.values())


def _inside(box: object, container: object) -> bool:
    return any(b is box for b in _block_boxes(container))
