"""`metrics.prom`: OpenMetrics that prometheus_client reads, with the result's figures, in the
subset the node exporter's textfile collector and the Pushgateway accept."""

from __future__ import annotations

import re

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.parser import text_string_to_metric_families as text_format_families
from prometheus_client.samples import Sample

from governance.checks.fairness.evidence import FairnessEvidence
from governance.checks.pii.evidence import PiiEvidence
from governance.engine.result import AuditResult, Outcome
from governance.render.formats import ReportFormat
from governance.render.openmetrics import FAMILIES, render_openmetrics
from tests.reports.figures_audit import BANDS


def _samples(text: str) -> dict[str, list[Sample]]:
    return {f.name: f.samples for f in text_string_to_metric_families(text)}


def _value(samples: list[Sample], **labels: str) -> float:
    matching = [s.value for s in samples if labels.items() <= s.labels.items()]
    assert len(matching) == 1, (labels, matching)
    return matching[0]


def test_the_format_writes_metrics_prom() -> None:
    assert ReportFormat.OPENMETRICS.file_name == "metrics.prom"


def test_the_audit_and_its_rules_read_back_as_the_result_says(result: AuditResult) -> None:
    samples = _samples(render_openmetrics(result))
    assert set(samples) == {f.name for f in FAMILIES}
    common = {"audit": "canonical", "model_digest": "none"}
    assert _value(samples["governance_audit_timestamp_seconds"], **common) == (
        result.audit.created_at.timestamp()
    )
    assert _value(samples["governance_audit_verdict"], verdict="failed") == 1
    assert _value(samples["governance_audit_verdict"], verdict="passed") == 0
    for outcome, count in result.counts.items():
        per_severity = [
            s.value for s in samples["governance_audit_rules"] if s.labels["outcome"] == outcome
        ]
        assert len(per_severity) == 5 and sum(per_severity) == count
    for rule in result.rules:
        for outcome in Outcome:
            value = _value(samples["governance_rule_outcome"], rule=rule.id, outcome=outcome)
            assert value == (1 if rule.outcome is outcome else 0)
        unwaived = sum(f.waived_by is None for f in rule.findings)
        assert _value(samples["governance_rule_findings"], rule=rule.id) == unwaived
    assert all(s.labels.items() >= common.items() for v in samples.values() for s in v)


def test_group_rates_impact_ratios_and_pii_hit_rates_equal_the_evidence(
    figures_result: AuditResult,
) -> None:
    samples = _samples(render_openmetrics(figures_result))
    fairness = next(r for r in figures_result.rules if r.id == "FAIR-1")
    assert isinstance(fairness.evidence, FairnessEvidence)
    groups = fairness.evidence.feature_sets[0].rates[0].groups
    assert {g.group for g in groups} == {f"band={band}" for band in BANDS}
    for group in groups:
        labels = {"rule": "FAIR-1", "metric": "selection_rate", "group": group.group}
        assert _value(samples["governance_fairness_group_rate_ratio"], **labels) == group.rate
        impact = samples["governance_fairness_group_impact_ratio"]
        assert _value(impact, **labels) == group.impact_ratio
        failing = _value(samples["governance_fairness_group_failing"], **labels)
        assert failing == (1 if group.failing else 0)
    assert any(g.failing for g in groups)  # a failing group, shown as such
    pii = next(r for r in figures_result.rules if r.id == "PII-1")
    assert isinstance(pii.evidence, PiiEvidence)
    (found,) = (s for c in pii.evidence.columns if c.column == "note" for s in c.found)
    labels = {"rule": "PII-1", "column": "note", "entity": "EMAIL_ADDRESS"}
    assert _value(samples["governance_pii_hit_ratio"], **labels) == found.hit_rate > 0
    assert found.upper_bound is not None  # sampled: the bound is written too
    bound = samples["governance_pii_hit_upper_bound_ratio"]
    assert _value(bound, **labels) == found.upper_bound


def test_label_values_are_escaped_as_the_exposition_format_requires(
    figures_result: AuditResult,
) -> None:
    text = render_openmetrics(figures_result)
    assert 'group="band=quoted \\"band\\""' in text
    assert 'group="band=back\\\\slash"' in text
    # and the classic text parser, which the textfile collector and the Pushgateway use, reads
    # the same values back
    classic = {f.name: f.samples for f in text_format_families(text)}
    rates = classic["governance_fairness_group_rate_ratio"]
    assert {s.labels["group"] for s in rates} == {f"band={band}" for band in BANDS}


@pytest.mark.parametrize("which", ["canonical", "figures"])
def test_the_file_suits_the_textfile_collector_and_the_pushgateway(
    which: str, result: AuditResult, figures_result: AuditResult
) -> None:
    text = render_openmetrics(result if which == "canonical" else figures_result)
    assert text.endswith("\n# EOF\n")
    sample = re.compile(r'^[a-z_]+\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*",?)*\} \S+$')
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.match(r"# (TYPE \S+ gauge|UNIT \S+ \S+|HELP \S+ [^\\]*|EOF)$", line), line
        else:  # a name, its labels and a value: no timestamp, which both would refuse
            assert sample.match(line), line
    # the classic parser reads every sample the OpenMetrics parser reads
    classic = sum(len(f.samples) for f in text_format_families(text))
    assert classic == sum(len(f.samples) for f in text_string_to_metric_families(text))


def test_names_follow_the_prometheus_conventions() -> None:
    for family in FAMILIES:
        assert re.fullmatch(r"governance_[a-z_]+", family.name)
        assert not family.name.endswith("_total")  # gauges only: no counter
        if family.unit:
            assert family.name.endswith(f"_{family.unit}")
        assert not family.name.endswith(("_ratio", "_seconds")) or family.unit


def test_no_two_samples_share_a_name_and_labels(example_audit_result: AuditResult) -> None:
    # The Pushgateway refuses a push holding duplicates: the example has intersectional groups,
    # several rules over the same rates and PII in several columns.
    samples = [
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in text_string_to_metric_families(render_openmetrics(example_audit_result))
        for sample in family.samples
    ]
    assert len(samples) == len(set(samples)) > 300
