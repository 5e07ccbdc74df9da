"""Report rendering benchmark: the example audit's reports and a large synthetic one.

    PYTHONPATH=$PWD python benchmarks/report.py [--repeat 3]

The large report has 50 rules, each with a 60-group evidence table and a 60-bar chart (the
shape fairness evidence takes for intersectional groups). Its evidence is a stand-in kind
that offers `tables()` and `charts()`, which is all the renderers use. Prints the time of
report.pdf (wall time: what a user waits; and CPU time of this process and its children, as
report.pdf is laid out in a child process while a painter process draws the charts), the PDF
size and pages, and the ratio to the reference: the same HTML parsed, laid out and written by
weasyprint alone in this process (the large report is rendered once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict
from weasyprint import HTML

from governance.engine.result import AuditResult
from governance.engine.run import run_audit
from governance.render.charts import chart_print_png
from governance.render.html_report import report_html
from governance.render.pdf_outline import pdf_outline
from governance.render.pdf_report import render_pdf, report_document
from governance.vocabulary.evidence_table import ChartBar, EvidenceChart, EvidenceTable

T = TypeVar("T")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hiring" / "audit.yaml"


class GroupTableEvidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str = "benchmark-groups"
    groups: int = 60
    seed: int = 0
    fairness_columns: bool = False
    """The eight columns of the fairness check's own table instead of five."""

    def _rates(self) -> list[tuple[str, float]]:
        return [
            (f"sex {i % 3} · race {i // 3} · age band {i % 4}", ((i * 37 + self.seed) % 100) / 100)
            for i in range(self.groups)
        ]

    def tables(self) -> tuple[EvidenceTable, ...]:
        if self.fairness_columns:
            return (self._fairness_table(),)
        rows = tuple(
            (label, 100 + i, round(rate * 0.4, 4), rate, f"[{rate * 0.9:.3f}, {rate:.3f}]")
            for i, (label, rate) in enumerate(self._rates())
        )
        columns = ("group", "n", "selection rate", "impact ratio", "95% interval")
        return (EvidenceTable(title="Selection rate by group", columns=columns, rows=rows),)

    def _fairness_table(self) -> EvidenceTable:
        columns = ("group", "rows", "share", "rate", "95% CI", "impact ratio", "p-value", "result")
        rows = tuple(
            (
                label,
                100 + i,
                round((100 + i) / 9_000, 4),
                round(rate * 0.4, 4),
                f"{rate * 0.36:.4g}–{rate * 0.44:.4g}",
                rate,
                f"{(i + 1) / 997:.2g} (z)",
                "fails" if rate < 0.8 else "passes",
            )
            for i, (label, rate) in enumerate(self._rates())
        )
        return EvidenceTable(title="Selection rate by group", columns=columns, rows=rows)

    def charts(self) -> tuple[EvidenceChart, ...]:
        bars = tuple(
            ChartBar(label=label, value=rate, flagged=rate < 0.8) for label, rate in self._rates()
        )
        return (
            EvidenceChart(
                title="Impact ratio by group",
                value_label="impact ratio",
                bars=bars,
                reference=0.8,
                reference_label="four-fifths rule",
            ),
        )


def large_result(
    example: AuditResult, rules: int = 50, *, fairness_columns: bool = False
) -> AuditResult:
    template = example.rules[0]
    many = tuple(
        template.model_copy(
            update={
                "id": f"FAIR-{i:03d}",
                "title": f"Impact ratio at least 0.8 for every group (variant {i})",
                "evidence": GroupTableEvidence(seed=i, fairness_columns=fairness_columns),
            }
        )
        for i in range(rules)
    )
    return example.model_copy(update={"rules": many})


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The action's value, CPU seconds (this process and the child processes it waited for:
    report.pdf renders in one), and wall seconds. CPU time is the steadier figure when the
    machine is shared, as wall time measures the other work too."""
    cpu, wall = _cpu_seconds(), time.perf_counter()
    value = action()
    return value, _cpu_seconds() - cpu, time.perf_counter() - wall


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def measure(name: str, result: AuditResult, repeat: int) -> None:
    charts = [c for r in result.rules if r.evidence for c in r.evidence.charts()]
    runs = [timed(lambda: render_pdf(result)) for _ in range(repeat)]
    pdf = runs[0][0]
    pdf_cpu = statistics.median(cpu for _, cpu, _ in runs)
    pdf_wall = statistics.median(wall for _, _, wall in runs)
    _, chart_cpu, _ = timed(lambda: [chart_print_png(c) for c in charts])
    # weasyprint alone: the report's HTML and charts, weasyprint's own style sheets.
    page = report_html(pdf_outline(result), medium="pdf")
    fetcher = report_document(result).url_fetcher
    html, html_cpu, html_wall = timed(lambda: HTML(string=page, url_fetcher=fetcher))
    document, layout_cpu, layout_wall = timed(lambda: html.render())
    _, write_cpu, write_wall = timed(lambda: document.write_pdf())
    alone_wall = html_wall + layout_wall + write_wall
    print(
        f"{name}: {len(result.rules)} rules, {len(charts)} charts, {len(document.pages)} pages, "
        f"PDF {len(pdf) / 1024:.0f} KiB\n"
        f"  report.pdf         {pdf_wall:6.2f} s wall, {pdf_cpu:6.2f} s CPU with its child "
        f"processes (median of {repeat})\n"
        f"    charts (PNG)     {chart_cpu:6.2f} s CPU\n"
        f"  weasyprint alone   {alone_wall:6.2f} s wall (parse {html_wall:.2f}, layout with charts "
        f"{layout_wall:.2f}, PDF {write_wall:.2f}), in this process, default settings\n"
        f"  report.pdf / weasyprint alone: {pdf_wall / alone_wall:.2f}x wall, "
        f"{pdf_cpu / (html_cpu + layout_cpu + write_cpu):.2f}x CPU"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--fairness-columns",
        action="store_true",
        help="also the large report with the fairness check's 8-column tables instead of 5",
    )
    arguments = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795651200")
    # The stand-in evidence is no member of the evidence union, so pydantic warns once per rule
    # when audit.json is attached; the JSON is still complete.
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
    example = run_audit(EXAMPLE)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    render_pdf(example)  # warm-up: imports, font configuration
    measure("example (hiring)", example, arguments.repeat)
    measure("large (50 rules x 60 groups)", large_result(example), 1)
    if arguments.fairness_columns:
        measure(
            "large, the fairness table's 8 columns",
            large_result(example, fairness_columns=True),
            1,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
