"""The three files `governance init` writes (manifest, policy, waivers), as YAML text made by
a YAML dumper from plain data, so a column name holding `: `, `#`, quotes or a line break is
quoted, never spliced into the text. Nothing is overwritten, and either every file is written
or none is."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from governance.errors import OutputError, UsageError
from governance.starter.column_roles import ColumnGuess

MANIFEST, POLICY, WAIVERS = "audit.yaml", "policy.yaml", "waivers.yaml"
_NO_WAIVERS: dict[str, Any] = {"waivers": []}
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_NEXT_STEPS = """\
# Next: the baseline pack's rules fail until the model card and the datasheets are declared.
# Uncomment and edit (paths relative to this file):
# model:
#   card: MODEL_CARD.md
#   artifact: model.skops
# and under each dataset: `datasheet: DATASHEET.md`, and `pii_columns: {COLUMN: EMAIL_ADDRESS}`
# for personal data held on purpose. `governance explain RULE-ID` says what a rule checks.
"""


@dataclass(frozen=True)
class StarterFiles:
    texts: dict[str, str]
    """File name → YAML text, in the order they are written."""


def safe_name(text: str, fallback: str) -> str:
    """`text` as an audit, dataset or policy name (letters, digits, `_.-`, starting with a
    letter or digit)."""
    name = _NOT_A_NAME.sub("-", text).strip("-._")[:64]
    return name if name else fallback


def starter_files(
    audit_name: str, data_path: str | None, guess: ColumnGuess | None
) -> StarterFiles:
    policy_name = f"{audit_name}-policy"
    packs = ["builtin:baseline"]
    manifest: dict[str, Any] = {
        "name": audit_name,
        "description": "Describe what is audited and why.",
    }
    if data_path is not None and guess is not None:
        dataset_name = safe_name(Path(data_path).stem, "data")
        manifest["datasets"] = {dataset_name: _dataset(data_path, guess)}
        packs.append("builtin:gdpr-pii")
        if guess.sensitive_features and (guess.prediction or guess.threshold is not None):
            packs.append("builtin:eeoc-four-fifths")
    manifest["policies"] = [POLICY]
    manifest["waivers"] = WAIVERS
    policy = {
        "policy": policy_name,
        "version": "1",
        "description": f"Rules for {audit_name}: the built-in packs, plus rules of your own.",
        "extends": packs,
        "rules": [],
    }
    header = "# Written by `governance init`: check it, then run `governance audit`.\n"
    return StarterFiles(
        texts={
            MANIFEST: header + _dump(manifest) + _NEXT_STEPS,
            POLICY: header + _dump(policy),
            WAIVERS: header + "# Approved, expiring exceptions to rules.\n" + _dump(_NO_WAIVERS),
        }
    )


def _dataset(path: str, guess: ColumnGuess) -> dict[str, Any]:
    dataset: dict[str, Any] = {"path": path}
    outcome = guess.prediction or guess.label
    for key, column in (("label", guess.label), ("prediction", guess.prediction)):
        if column is not None:
            dataset[key] = column.name
    if outcome is not None and outcome.positive is not None:
        dataset["positive_label"] = outcome.positive
    if guess.score is not None:
        dataset["score"] = guess.score.name
    if guess.threshold is not None:
        dataset["threshold"] = guess.threshold
    if guess.sensitive_features:
        dataset["sensitive_features"] = [c.name for c in guess.sensitive_features]
    return dataset


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_new(folder: Path, files: StarterFiles) -> tuple[Path, ...]:
    """Write every file into `folder`, refusing (exit 2, nothing written) when any exists."""
    targets = [folder / name for name in files.texts]
    existing = [path for path in targets if os.path.lexists(path)]
    if existing:
        names = ", ".join(str(path) for path in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise UsageError(
            f"{names} already {verb}: governance init never overwrites a file (nothing written)",
            hint="move it away, or run governance init in another folder",
        )
    written: list[Path] = []
    try:
        for path, text in zip(targets, files.texts.values(), strict=True):
            with path.open("x", encoding="utf-8") as stream:  # fails if created meanwhile
                written.append(path)
                stream.write(text)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise OutputError(
            f"could not write {error.filename}: {error.strerror} (nothing written)"
        ) from None
    return tuple(written)
