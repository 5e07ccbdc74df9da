"""A small audit with figures of every kind the metrics and the ML-BOM carry: a fairness rule
over group labels that need escaping (a quote, a backslash), a PII rule that finds e-mail
addresses in a sample, and a documentation rule on a model card with Hugging Face front matter,
a placeholder section and an e-mail address in its text; run once per test session."""

from __future__ import annotations

from pathlib import Path

from governance.engine.result import AuditResult
from governance.engine.run import run_audit

BANDS = ("plain", 'quoted "band"', "back\\slash")
RULES = """\
policy: figures
rules:
  - id: FAIR-1
    title: Selection rates within four-fifths
    severity: high
    fairness:
      metric: selection_rate
      compare: ratio_to_max
      sensitive_features: [band]
      min: 0.8
  - id: PII-1
    title: No e-mail addresses
    severity: critical
    pii: {entities: [EMAIL_ADDRESS], sample_size: 100}
  - id: DOC-1
    title: Card states its limitations
    severity: medium
    documentation: {document: model_card, required_sections: [Limitations]}
"""

CARD = """\
---
license: mit
pipeline_tag: tabular-classification
model-index:
  - name: figures-screen
    results: []
---
# Card

## Intended use

Ranking applications for a recruiter to read first; never to reject one automatically.

## Limitations

TODO

## Ethical considerations

Selection rates differ by band; questions to ethics.desk@example.org before any release.
"""


def figures_audit(folder: Path) -> AuditResult:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["band,hired,predicted,note"]
    for i in range(600):
        band = BANDS[i % 3]
        selected = int(i % 7 == 0) if band == BANDS[1] else int(i % 2 == 0)
        note = f"write to person{i}@example.org" if i % 4 == 0 else f"no contact {i}"
        lines.append(f'"{band.replace(chr(34), chr(34) * 2)}",{selected},{selected},{note}')
    (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "policy.yaml").write_text(RULES, encoding="utf-8")
    (folder / "card.md").write_text(CARD, encoding="utf-8")
    (folder / "audit.yaml").write_text(
        "name: figures\n"
        "model: {card: card.md}\n"
        "datasets:\n"
        "  people: {path: people.csv, label: hired, prediction: predicted,"
        " sensitive_features: [band]}\n"
        "policies: [policy.yaml]\n",
        encoding="utf-8",
    )
    return run_audit(folder / "audit.yaml")
