"""Small audits written to a temporary folder: a manifest, a policy and data files."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from governance.engine.result import AuditResult, RuleResult
from governance.engine.run import run_audit


def write_audit(
    folder: Path,
    rules: str,
    datasets: Mapping[str, Mapping[str, Any]],
    files: Mapping[str, str | bytes] | None = None,
    manifest_extra: Mapping[str, Any] | None = None,
) -> Path:
    """A manifest with `datasets`, a policy with `rules` (YAML text), and data `files`."""
    for name, content in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (folder / "policy.yaml").write_text(
        "policy: test-pii\nrules:\n" + textwrap.indent(textwrap.dedent(rules), "  "),
        encoding="utf-8",
    )
    manifest = {
        "name": "pii-test",
        "datasets": {name: dict(spec) for name, spec in datasets.items()},
        "policies": ["policy.yaml"],
        **(manifest_extra or {}),
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


def only_rule(result: AuditResult) -> RuleResult:
    assert len(result.rules) == 1
    return result.rules[0]


def audit(path: Path, **kwargs: Any) -> AuditResult:
    return run_audit(path, **kwargs)


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"
