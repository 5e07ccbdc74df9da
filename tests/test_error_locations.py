"""Errors point where the user erred: at the key as written, every problem of the file on its
own `error:` line (file:line:column (key.path): message), with a "did you mean" for a misspelt
key or value."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from governance.checks.registry import CHECK_KINDS
from governance.cli.app import app

KINDS = ", ".join(sorted(CHECK_KINDS))

runner = CliRunner()


def _errors(*args: str) -> list[str]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def test_a_misspelt_metric_is_reported_at_the_key_written_with_every_problem(write):
    path = write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: FAIR-1
            title: t
            severity: high
            fairness:
              metric: selection_rat
              compare: ratio_to_mx
              min: 0.8
        """,
    )
    assert _errors("policies", "validate", str(path)) == [
        f"error: {path}:7:7 (rules.0.fairness.metric): invalid value 'selection_rat' for "
        "'metric' (did you mean 'selection_rate'?); input should be 'selection_rate', "
        "'scoring_rate', 'true_positive_rate', 'false_positive_rate', 'false_negative_rate', "
        "'true_negative_rate', 'precision', 'accuracy', 'demographic_parity', "
        "'equal_opportunity' or 'equalized_odds'",
        f"error: {path}:8:7 (rules.0.fairness.compare): invalid value 'ratio_to_mx' for "
        "'compare' (did you mean 'ratio_to_max'?); input should be 'ratio_to_max', "
        "'difference', 'ratio', 'to_reference' or 'to_overall'",
    ]


def test_problems_of_several_rules_come_in_file_order_with_suggestions(write):
    path = write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: A
            title: t
            severity: hig
            pii: {entities: [EMAIL_ADDRESS], colums: "*"}
          - id: B
            title: t
            severity: high
            fairnes: {metric: selection_rate}
          - id: C
            title: t
            severity: high
            fairness: {metrics: [selection_rate, precison], compare: ratio}
        """,
    )
    assert _errors("policies", "validate", str(path)) == [
        f"error: {path}:5:5 (rules.0.severity): invalid value 'hig' for 'severity' (did you "
        "mean 'high'?); input should be 'info', 'low', 'medium', 'high' or 'critical'",
        f"error: {path}:6:38 (rules.0.pii.colums): unknown key 'colums' (did you mean 'columns'?)",
        f"error: {path}:10:5 (rules.1.fairnes): unknown key 'fairnes' (did you mean "
        f"'fairness'?); a rule needs exactly one check block ({KINDS})",
        f"error: {path}:14:42 (rules.2.fairness.metrics.1): invalid value 'precison' for "
        "'metrics[1]' (did you mean 'precision'?); input should be 'selection_rate', "
        "'scoring_rate', 'true_positive_rate', 'false_positive_rate', 'false_negative_rate', "
        "'true_negative_rate', 'precision', 'accuracy', 'demographic_parity', "
        "'equal_opportunity' or 'equalized_odds'",
    ]


def test_a_value_refused_by_every_branch_of_a_union_is_one_problem_at_its_key(write):
    path = write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: A
            title: t
            severity: high
            pii: {entities: [EMAIL_ADDRESS], columns: 3, datasets: [a, 3]}
        """,
    )
    assert _errors("policies", "validate", str(path)) == [
        f"error: {path}:6:38 (rules.0.pii.columns): 'columns' must be text or a list",
        f"error: {path}:6:64 (rules.0.pii.datasets.1): 'datasets[1]' must be text",
    ]


def test_manifest_and_waiver_keys_are_suggested_too(write, small_audit):
    manifest = write(
        "audit.yaml",
        """\
        name: small
        model: {card: card.md}
        datasets:
          applicants: {path: card.md, sensitive_feature: [sex]}
        policies: [policy.yaml]
        waiver: waivers.yaml
        """,
    )
    out = str(Path(manifest).parent / "out")
    assert _errors("audit", str(manifest), "--out", out) == [
        f"error: {manifest}:4:31 (datasets.applicants.sensitive_feature): unknown key "
        "'sensitive_feature' (did you mean 'sensitive_features'?)",
        f"error: {manifest}:6:1 (waiver): unknown key 'waiver' (did you mean 'waivers'?)",
    ]
    write(
        "audit.yaml",
        """\
        name: small
        model: {card: card.md}
        policies: [policy.yaml]
        waivers: waivers.yaml
        """,
    )
    waivers = write(
        "waivers.yaml",
        """\
        waivers:
          - rule: DOC-1
            reason: r
            owner: o
            approver: p
            expires: 2027-01-01
        """,
    )
    assert _errors("audit", str(manifest), "--out", out) == [
        f"error: {waivers}:2:5 (waivers.0.approved_by): missing required key 'approved_by'",
        f"error: {waivers}:5:5 (waivers.0.approver): unknown key 'approver' (did you mean "
        "'approved_by'?)",
    ]


def test_a_check_blocks_tag_is_not_written(write):
    path = write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - {id: A, title: t, severity: high, pii: {entities: [EMAIL_ADDRESS], kind: fairness}}
        """,
    )
    assert _errors("policies", "validate", str(path)) == [
        f"error: {path}:3:72 (rules.0.pii.kind): unknown key 'kind' (the block's own key names "
        "its kind)"
    ]


def test_every_problem_line_is_masked(write):
    path = write(
        "policy.yaml",
        """\
        policy: p
        rules:
          - id: A
            title: t
            severity: high
            jane.secret@mail.example.com: 1
            pii: {entities: [EMAIL_ADDRESS], john.doe@mail.example.com: 2}
        """,
    )
    errors = _errors("policies", "validate", str(path))
    assert len(errors) == 2
    assert all(line.startswith("error: ") for line in errors)
    assert "jane.secret" not in "\n".join(errors) and "john.doe" not in "\n".join(errors)


def test_a_pack_named_without_its_prefix_is_suggested(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _errors("policies", "show", "baseline") == [
        "error: baseline: policy baseline not found (did you mean 'builtin:baseline'?)"
    ]
    assert _errors("policies", "show", "builtin:basline") == [
        "error: builtin:basline: unknown built-in policy pack 'basline' (did you mean "
        "'builtin:baseline'?) (available: baseline, eeoc-four-fifths, eu-ai-act-annex-iv, "
        "gdpr-pii, model-hygiene, nyc-ll144)"
    ]


def test_a_bad_key_name_is_reported_beside_the_problems_of_its_value(write, small_audit):
    manifest = write(
        "audit.yaml",
        """\
        name: small
        policies: [policy.yaml]
        datasets:
          "bad name": {path: missing.csv}
        """,
    )
    out = str(Path(manifest).parent / "out")
    assert _errors("audit", str(manifest), "--out", out) == [
        f"error: {manifest}:4:3 (datasets.bad name): invalid key 'bad name' under 'datasets': "
        "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.-]*$'",
        f"error: {manifest}:4:16 (datasets.bad name.path): missing.csv not found",
    ]
