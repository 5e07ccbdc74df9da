"""Small groups: a rate's minimum group size applies to the rate's own denominator, and the
EEOC four-fifths pack weighs small groups by significance instead of hiding them; every group
left out of a comparison is named in the rule's notes. Numbers are checked against fairlearn."""

from __future__ import annotations

import textwrap
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from scipy.stats import chi2_contingency

from governance.checks.fairness.evidence import GroupStatus
from governance.engine.result import Outcome
from governance.engine.run import run_audit
from governance.render.formats import ReportFormat
from governance.vocabulary.notes import NoteKind
from tests.fairness.conftest import evidence_of, run_fairness

RATES = {
    "true_positive_rate": partial(true_positive_rate, pos_label=1),
    "false_positive_rate": partial(false_positive_rate, pos_label=1),
    "selection_rate": partial(selection_rate, pos_label=1),
}


def _cases(race: str, tp: int, fn: int, fp: int, tn: int) -> pd.DataFrame:
    y = [1] * (tp + fn) + [0] * (fp + tn)
    p = [1] * tp + [0] * fn + [1] * fp + [0] * tn
    return pd.DataFrame({"race": race, "y": y, "p": p})


def _issue_frame() -> pd.DataFrame:
    """Group B has 71 rows but only 6 actual positives, of which 1 is predicted positive (a
    true positive rate of 1 of 6); A and C are large."""
    return pd.concat(
        [
            _cases("A", tp=90, fn=60, fp=30, tn=120),
            _cases("B", tp=1, fn=5, fp=12, tn=53),
            _cases("C", tp=84, fn=66, fp=27, tn=123),
        ],
        ignore_index=True,
    )


def _metric_frame(frame: pd.DataFrame) -> MetricFrame:
    return MetricFrame(
        metrics=RATES, y_true=frame["y"], y_pred=frame["p"], sensitive_features=frame["race"]
    )


def test_the_floor_applies_to_actual_positives_not_to_the_groups_rows():
    frame = _issue_frame()
    report = run_fairness(
        frame,
        metric="equalized_odds",
        compare="difference",
        sensitive_features=["race"],
        max=0.1,
        min_group_size=30,
    )
    evidence = evidence_of(report)
    tpr, fpr = evidence.feature_sets[0].rates
    mf = _metric_frame(frame)
    small = {g.group: g for g in tpr.groups}["race=B"]
    assert (small.rows, small.successes, small.trials) == (71, 1, 6)
    assert small.rate == mf.by_group["true_positive_rate"]["B"]  # 1/6, disclosed
    assert small.status is GroupStatus.EXCLUDED
    assert small.exclusion == "6 actual positives, under the minimum group size of 30"
    # Its 65 actual negatives are enough for the false positive rate: compared there.
    on_negatives = {g.group: g for g in fpr.groups}["race=B"]
    assert (on_negatives.status, on_negatives.trials) == (GroupStatus.COMPARED, 65)
    assert on_negatives.rate == mf.by_group["false_positive_rate"]["B"]
    # The disparities are fairlearn's over the groups each rate compares.
    without_b = _metric_frame(frame[frame["race"] != "B"])
    assert tpr.difference == without_b.difference()["true_positive_rate"]
    assert fpr.difference == mf.difference()["false_positive_rate"]
    (disparity,) = evidence.feature_sets[0].disparities
    assert disparity.value == max(tpr.difference or 0, fpr.difference or 0)
    assert disparity.value < 0.1 and report.findings == ()
    # Compared on its 71 rows, B's 1 of 6 would fail the rule (the issue's false alarm).
    assert mf.difference()["true_positive_rate"] > 0.1
    (note,) = [n for n in report.notes if n.kind is NoteKind.NOT_COMPARED]
    assert note.text == (
        "1 group not compared in the true positive rate by race: race=B (71 rows, rate 0.1667 "
        "= 1/6: 6 actual positives, under the minimum group size of 30)"
    )


def test_tables_show_the_denominator_the_floor_applies_to():
    frame = _issue_frame()
    evidence = evidence_of(
        run_fairness(
            frame,
            metrics=["true_positive_rate", "selection_rate"],
            compare="difference",
            sensitive_features=["race"],
            min_group_size=30,
        )
    )
    tpr_table, selection_table = evidence.tables()[:2]
    assert tpr_table.columns[:3] == ("group", "rows", "actual positives")
    assert [row[:3] for row in tpr_table.rows] == [
        ("race=A", 300, 150),
        ("race=B", 71, 6),
        ("race=C", 300, 150),
    ]
    assert "excluded: 6 actual positives, under the minimum group size of 30" in tpr_table.rows[1]
    # A selection rate is taken over the rows: no second column, and B (71 rows) is compared.
    assert selection_table.columns[:3] == ("group", "rows", "share")
    assert selection_table.rows[1][-1] == "reported"


def test_selection_rate_floor_counts_rows_with_a_selection():
    frame = _issue_frame().astype({"p": "float"})
    frame.loc[frame.index[frame["race"] == "B"][:50], "p"] = float("nan")
    evidence = evidence_of(
        run_fairness(
            frame,
            metric="selection_rate",
            sensitive_features=["race"],
            min=0.8,
            min_group_size=30,
            missing_outcomes="exclude",
        )
    )
    small = {g.group: g for g in evidence.feature_sets[0].rates[0].groups}["race=B"]
    assert (small.rows, small.trials, small.status) == (71, 21, GroupStatus.EXCLUDED)
    assert small.exclusion == "21 rows with a selection, under the minimum group size of 30"
    assert evidence.tables()[0].columns[:3] == ("group", "rows", "rows with a selection")


# The EEOC pack on data shaped like the issue's UCI Adult run: two races under 2% of the rows
# whose impact ratios (0.44 and 0.25) fall short significantly, which LL144's 2% exclusion hid.
ADULT_LIKE = pd.concat(
    [
        pd.DataFrame({"race": "White", "p": [1] * 1000 + [0] * 3000}),
        pd.DataFrame({"race": "Black", "p": [1] * 100 + [0] * 400}),
        pd.DataFrame({"race": "Amer-Indian-Eskimo", "p": [1] * 8 + [0] * 64}),
        pd.DataFrame({"race": "Other", "p": [1] * 3 + [0] * 45}),
        pd.DataFrame({"race": "Asian-Pac-Islander", "p": [1] * 4 + [0] * 16}),
    ],
    ignore_index=True,
).assign(y=0)


def _eeoc_audit(tmp_path: Path, data: pd.DataFrame) -> Path:
    data.to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "audit.yaml").write_text(
        textwrap.dedent(
            """\
            name: adult-like
            datasets:
              people:
                path: data.csv
                prediction: p
                sensitive_features: [race]
            policies: [builtin:eeoc-four-fifths]
            """
        )
    )
    return tmp_path / "audit.yaml"


@pytest.fixture()
def eeoc_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    return run_audit(_eeoc_audit(tmp_path, ADULT_LIKE))


def test_eeoc_pack_fails_small_groups_whose_shortfall_is_significant(eeoc_result):
    (rule,) = eeoc_result.rules
    assert rule.outcome is Outcome.FAILED
    assert [f.scope.group for f in rule.findings] == ["race=Amer-Indian-Eskimo", "race=Other"]
    groups = {g.group: g for g in rule.evidence.feature_sets[0].rates[0].groups}
    mf = MetricFrame(
        metrics=selection_rate,
        y_true=ADULT_LIKE["y"],
        y_pred=ADULT_LIKE["p"],
        sensitive_features=ADULT_LIKE["race"],
    )
    impact = mf.by_group / mf.group_max()  # LL144 / EEOC impact ratio
    for race in ("Amer-Indian-Eskimo", "Other"):
        group = groups[f"race={race}"]
        assert group.status is GroupStatus.COMPARED  # under 2% of the rows, still compared
        assert group.rows / len(ADULT_LIKE) < 0.02
        assert group.impact_ratio == impact[race]
        table = [[group.successes, group.trials - group.successes], [1000, 3000]]  # White
        assert group.test == "z-test"  # (the pooled z-test is the uncorrected chi-square)
        assert group.p_value == pytest.approx(
            chi2_contingency(table, correction=False).pvalue, rel=1e-9
        )
        assert group.p_value < 0.01
    assert groups["race=Amer-Indian-Eskimo"].impact_ratio == pytest.approx(0.44, abs=0.005)
    assert groups["race=Other"].impact_ratio == 0.25
    assert not groups["race=Black"].failing and groups["race=Black"].impact_ratio == 0.8
    assert groups["race=Asian-Pac-Islander"].status is GroupStatus.COMPARED  # 20 rows
    # At exactly four-fifths the rule passes a group, but a significant shortfall is noted:
    # 29 CFR 1607.4(D) may count a smaller difference that is significant.
    black = f"race=Black (impact ratio 0.8, p = {groups['race=Black'].p_value:.3g})"
    assert [note.text for note in rule.notes] == [
        "1 group within the threshold but significantly different from race=White, which the "
        f"threshold does not judge: {black}",
        "no row has a missing or unknown value of race",
    ]


def test_eeoc_pack_spares_a_small_shortfall_that_is_not_significant(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    data = pd.concat(
        [
            pd.DataFrame({"race": "A", "p": [1] * 500 + [0] * 500}),
            pd.DataFrame({"race": "B", "p": [1] * 3 + [0] * 7}),  # ratio 0.6 on 10 rows
        ],
        ignore_index=True,
    ).assign(y=0)
    (rule,) = run_audit(_eeoc_audit(tmp_path, data)).rules
    assert rule.outcome is Outcome.PASSED
    small = {g.group: g for g in rule.evidence.feature_sets[0].rates[0].groups}["race=B"]
    assert small.status is GroupStatus.COMPARED and small.impact_ratio == 0.6
    assert small.note and small.note.startswith("outside the threshold but not significant")


@pytest.mark.parametrize(
    "report_format", [f for f in ReportFormat if f is not ReportFormat.PDF], ids=str
)
def test_every_format_names_every_group_left_out_of_a_comparison(
    tmp_path, monkeypatch, report_format
):
    """LL144's 2% exclusion leaves three races out of the impact ratios: each is named in
    every format, the console included (the PDF renders the same HTML)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    data = ADULT_LIKE.rename(columns={"race": "race_ethnicity"}).assign(sex="Female")
    manifest = _eeoc_audit(tmp_path, data)
    text = manifest.read_text().replace("[race]", "[race_ethnicity]")
    manifest.write_text(text.replace("builtin:eeoc-four-fifths", "builtin:nyc-ll144"))
    result = run_audit(manifest)
    rule = {r.id: r for r in result.rules}["LL144-SEL-RACE"]
    (note,) = [n.text for n in rule.notes if n.kind is NoteKind.NOT_COMPARED]
    assert note.startswith("3 groups not compared in the selection rate by race_ethnicity: ")
    if report_format is ReportFormat.MARKDOWN:
        # A pull-request comment stays short: a reported rule, which gives no verdict, says it
        # left groups out; a rule with a verdict names each group it left out.
        summary = " ".join(report_format.render(result).replace("\\_", "_").split())
        assert (
            "`LL144-SEL-RACE` Selection rate and impact ratio by race/ethnicity (some " in summary
        )
        (tmp_path / "gating.yaml").write_text(GATING_POLICY)
        manifest.write_text(manifest.read_text().replace("builtin:nyc-ll144", "gating.yaml"))
        result = run_audit(manifest)
        assert [r.outcome for r in result.rules] == [Outcome.PASSED]
    shown = report_format.render(result)
    assert isinstance(shown, str)
    left_out = (("Amer-Indian-Eskimo", 72), ("Other", 48), ("Asian-Pac-Islander", 20))
    if report_format is ReportFormat.OPENMETRICS:  # figures, not sentences: marked as left out
        samples = {
            (s.name, s.labels["group"]): s.value
            for family in text_string_to_metric_families(shown)
            for s in family.samples
            if s.labels.get("rule") == "LL144-SEL-RACE"
            and s.labels.get("metric") == "selection_rate"
        }
        for race, rows in left_out:
            group = f"race_ethnicity={race}"
            assert samples["governance_fairness_group_compared", group] == 0, race
            assert samples["governance_fairness_group_rows", group] == rows, race
        assert samples["governance_fairness_group_compared", "race_ethnicity=White"] == 1
        return
    shown = " ".join(shown.replace("\\_", "_").split())  # Markdown escapes, console wraps
    for race, rows in left_out:
        assert f"race_ethnicity={race} ({rows} rows" in shown, race


GATING_POLICY = """\
policy: gating
rules:
  - id: SEL-RACE
    title: Selection rate ratio, groups under 2% left out
    severity: high
    fairness:
      metric: selection_rate
      sensitive_features: [race_ethnicity]
      min_share: 0.02
      min: 0.01
"""
