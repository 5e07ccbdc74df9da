"""Declared training data: the datasets the model card's front matter names (Hugging Face's
`datasets`, the datasets the model was trained on) and the training data size its training data
section states, against the manifest's datasets with `role: training` and the rows the audit
counts in them.

Only the manifest's training datasets are compared: the data a model is audited on is not the
data it was trained on, so a card naming its training set while the manifest holds only the
evaluation set is the normal case, not a disagreement. A dataset is named by its `id` (its
published identifier), else by its name in the manifest.

A size is read conservatively: only an explicit number directly followed by `rows`, `examples`,
`records`, `samples` or `applications` (singular or plural) in a section headed "Training
data" (or "Training dataset"), each such phrase a statement of the training data's size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from governance.checks.declarations.comparison import Comparison
from governance.checks.declarations.evidence import (
    CardDataset,
    DeclaredTrainingData,
    StatedSize,
    TrainingDataset,
)
from governance.checks.declarations.spec import DeclarationsSpec
from governance.checks.documentation.card_metadata import validate_card_metadata
from governance.checks.documentation.document_cache import audit_documents
from governance.checks.model.model_card import CardFrontMatter, card_front_matter
from governance.manifest import DatasetSpec
from governance.text_files import read_text_file
from governance.vocabulary.findings import Finding, FindingLocation, FindingScope

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

TRAINING_SECTIONS = ("Training data", "Training dataset")
_SIZE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)\s+(rows?|examples?|records?|samples?|applications?)\b",
    re.IGNORECASE,
)


def compare_training_data(spec: DeclarationsSpec, context: CheckContext) -> Comparison | str:
    """The comparison of the card with the manifest's training datasets, or why there is none."""
    loaded = context.manifest
    card = loaded.manifest.model.card
    if card is None:
        return "the manifest declares no model card"
    datasets = loaded.manifest.datasets
    training = tuple(
        TrainingDataset(
            dataset=name,
            id=_published_id(name, dataset),
            line=loaded.document.locate(("datasets", name, "role")).line or 1,
            rows=context.data.row_count(name),
        )
        for name, dataset in datasets.items()
        if dataset.role == "training"
    )
    if not training:
        return "the manifest declares no training dataset (a dataset with `role: training`)"
    front = card_front_matter(card)
    declared = DeclaredTrainingData(
        path=loaded.display_path(card),
        manifest=loaded.display_path(loaded.path),
        named=_named(front, datasets),
        training=training,
        stated=tuple(_stated_sizes(context, card)),
    )
    return Comparison(
        findings=(
            *_naming_findings(declared, datasets_line=_datasets_line(front)),
            *_size_findings(declared, spec.row_tolerance),
        ),
        training=declared,
    )


def _published_id(name: str, dataset: DatasetSpec) -> str:
    return dataset.id if dataset.id is not None else name


def _datasets_line(front: CardFrontMatter | None) -> int | None:
    if front is None or "datasets" not in front.data:
        return None
    return front.document.locate(("datasets",)).line


def _named(
    front: CardFrontMatter | None, datasets: dict[str, DatasetSpec]
) -> tuple[CardDataset, ...]:
    """Each id of the card's front matter `datasets`, with the manifest's dataset of that id."""
    if front is None or front.data.get("datasets") is None:
        return ()
    validate_card_metadata(front)  # a malformed `datasets` is an input error at its line
    by_id = {_published_id(name, d).casefold(): (name, d) for name, d in datasets.items()}
    named = []
    for index, dataset_id in enumerate(front.data["datasets"]):
        match = by_id.get(dataset_id.strip().casefold())
        named.append(
            CardDataset(
                id=dataset_id.strip(),
                line=front.document.locate(("datasets", index)).line or 1,
                dataset=None if match is None else match[0],
                role=None if match is None else match[1].role,
            )
        )
    return tuple(named)


def _stated_sizes(context: CheckContext, card: Path) -> Iterator[StatedSize]:
    """Each explicit size phrase in the card's training data sections, at its line."""
    document = audit_documents(context).markdown(card)
    file_lines = read_text_file(card, "model card").splitlines()
    for section in document.sections_matching(TRAINING_SECTIONS):
        searched_from = section.line  # 0-based index of the line after the heading
        for body_line in section.body.splitlines():
            sizes = list(_SIZE.finditer(body_line))
            if not sizes:
                continue
            at = _line_of(file_lines, body_line, searched_from)
            searched_from = at
            for size in sizes:
                yield StatedSize(
                    rows=int(size.group(1).replace(",", "")),
                    unit=size.group(2).lower(),
                    line=at,
                )


def _line_of(file_lines: list[str], text: str, start: int) -> int:
    """The 1-based line of the card holding `text`, first at or after index `start`."""
    for index in range(start, len(file_lines)):
        if file_lines[index] == text:
            return index + 1
    return start


def _naming_findings(declared: DeclaredTrainingData, *, datasets_line: int | None) -> list[Finding]:
    findings = []
    training_ids = ", ".join(f"'{t.id}'" for t in declared.training)
    for named in declared.named:
        if named.role == "training":
            continue
        manifest_says = (
            f"which {declared.manifest} does not declare"
            if named.dataset is None
            else f"which {declared.manifest} declares as {named.role} dataset '{named.dataset}'"
        )
        findings.append(
            Finding(
                message=f"the model card's front matter names training dataset '{named.id}' "
                f"(line {named.line}), {manifest_says} (training datasets: {training_ids})",
                scope=FindingScope(document="model_card"),
                location=FindingLocation(path=declared.path, line=named.line),
            )
        )
    named_ids = {n.dataset for n in declared.named if n.role == "training"}
    where = "" if datasets_line is None else f" (line {datasets_line})"
    card_names = ", ".join(f"'{n.id}'" for n in declared.named) or "none"
    for training in declared.training:
        if training.dataset in named_ids:
            continue
        findings.append(
            Finding(
                message=f"{declared.manifest} declares training dataset '{training.id}' (line "
                f"{training.line}), which the model card's front matter `datasets`{where} "
                f"does not name (named: {card_names})",
                scope=FindingScope(dataset=training.dataset, document="model_card"),
                location=FindingLocation(path=declared.path, line=datasets_line),
            )
        )
    return findings


def _size_findings(declared: DeclaredTrainingData, tolerance: int) -> list[Finding]:
    rows = sum(t.rows for t in declared.training)
    if len(declared.training) == 1:
        measured = f"training dataset '{declared.training[0].dataset}' has {rows:,} rows"
    else:
        each = ", ".join(f"'{t.dataset}' {t.rows:,}" for t in declared.training)
        measured = f"training datasets have {rows:,} rows ({each})"
    allowed = {rows, *(t.rows for t in declared.training)}
    return [
        Finding(
            message=f"the model card states {stated.rows:,} {stated.unit} of training data "
            f"(line {stated.line}), but the manifest's {measured}"
            + (f" (tolerance {tolerance:,})" if tolerance else ""),
            scope=FindingScope(document="model_card"),
            location=FindingLocation(path=declared.path, line=stated.line),
        )
        for stated in declared.stated
        if all(abs(stated.rows - count) > tolerance for count in allowed)
    ]
