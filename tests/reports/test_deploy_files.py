"""`deploy/`: the Grafana dashboard queries only metrics the tool writes, and the compose file
that runs Prometheus, the Pushgateway and Grafana is valid and wires the dashboard in."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from governance.engine.result import AuditResult
from governance.render.openmetrics import render_openmetrics

DEPLOY = Path(__file__).parents[2] / "deploy"
DASHBOARD = DEPLOY / "grafana" / "governance.json"
_METRIC = re.compile(r"\b(governance_[a-z_]+)\b")
_SELECTED = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{")


def _queries(dashboard: dict[str, Any]) -> list[str]:
    queries = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", ())]
    for variable in dashboard["templating"]["list"]:
        query = variable["query"]
        queries.append(query["query"] if isinstance(query, dict) else query)
    return queries


def test_the_dashboard_queries_only_metrics_the_tool_writes(figures_result: AuditResult) -> None:
    written = {
        family.name
        for family in text_string_to_metric_families(render_openmetrics(figures_result))
        if family.samples
    }
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    queries = _queries(dashboard)
    assert len(queries) >= 10
    used: set[str] = set()
    for query in queries:
        names = set(_METRIC.findall(query))
        assert names, f"a query reads no governance metric: {query}"
        # every selector names one of ours: no metric of another exporter slips in
        assert set(_SELECTED.findall(query)) <= names, query
        used |= names
    assert used <= written, used - written
    # and it plots what the issue asks for: outcomes per rule, impact ratios, PII hit rates
    assert {
        "governance_rule_outcome",
        "governance_fairness_group_impact_ratio",
        "governance_pii_hit_ratio",
    } <= used


def test_every_panel_reads_the_provisioned_datasource() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    provisioned = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text("utf-8")
    )
    uid = provisioned["datasources"][0]["uid"]
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == uid
        assert all(t["datasource"]["uid"] == uid for t in panel["targets"])
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_the_compose_file_is_valid_and_mounts_the_dashboard_where_grafana_reads_it() -> None:
    compose = DEPLOY / "docker-compose.yml"
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec"]
        + [str(compose)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    services = yaml.safe_load(compose.read_text("utf-8"))["services"]
    assert {"prometheus", "pushgateway", "grafana"} <= set(services)
    provider = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "governance.yml").read_text("utf-8")
    )
    folder = provider["providers"][0]["options"]["path"]
    mounts = dict(volume.split(":")[:2] for volume in services["grafana"]["volumes"])
    assert mounts["./grafana/governance.json"] == f"{folder}/governance.json"
    assert (DEPLOY / "grafana" / "provisioning").is_dir()
    for source in mounts:
        if source.startswith("./"):
            assert (DEPLOY / source).exists(), source
    prometheus = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text("utf-8"))
    (job,) = prometheus["scrape_configs"]
    assert job["static_configs"][0]["targets"] == ["pushgateway:9091"]
    assert job["honor_labels"] is True
