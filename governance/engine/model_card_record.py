"""What the report records of the model card, for the ML bill of materials: the plain fields of
its front matter and the text of its sections on use, limitations and ethics, found by the
headings the baseline pack requires (and their usual aliases)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from governance.checks.documentation.content import content_words
from governance.checks.documentation.markdown_sections import MarkdownDocument
from governance.checks.documentation.spec import DEFAULT_PLACEHOLDERS
from governance.engine.result import CardSection, CardSectionKind, ModelCardInfo

_MAX_TEXT = 4000
HEADINGS: dict[CardSectionKind, tuple[str, ...]] = {
    CardSectionKind.INTENDED_USE: (
        "Intended use",
        "Intended uses & limitations",
        "Direct use",
        "Intended purpose",
        "Primary intended uses",
    ),
    CardSectionKind.OUT_OF_SCOPE_USE: (
        "Out-of-scope use",
        "Out of scope",
        "Misuse",
        "Prohibited uses",
    ),
    CardSectionKind.LIMITATIONS: (
        "Limitations",
        "Bias, risks, and limitations",
        "Risks and limitations",
        "Caveats and recommendations",
        "Known limitations",
    ),
    CardSectionKind.ETHICAL_CONSIDERATIONS: (
        "Ethical considerations",
        "Bias",
        "Fairness",
        "Ethics",
    ),
}


def model_card_info(display_path: str, document: MarkdownDocument) -> ModelCardInfo:
    front = document.front_matter or {}
    index = _first(front.get("model-index"))
    return ModelCardInfo(
        path=display_path,
        name=_text(index.get("name")),
        license=_text(front.get("license")),
        task=_text(front.get("pipeline_tag")) or _text(_task_type(index)),
        library=_text(front.get("library_name")),
        sections=tuple(_sections(document)),
    )


def _sections(document: MarkdownDocument) -> Iterator[CardSection]:
    for kind, names in HEADINGS.items():
        for section in document.sections_matching(names):
            words, _ = content_words(section.body, DEFAULT_PLACEHOLDERS)
            if words:  # a placeholder alone says nothing about the model
                text = " ".join(section.body.split())[:_MAX_TEXT]
                yield CardSection(kind=kind, heading=section.heading, line=section.line, text=text)


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _task_type(index: dict[str, Any]) -> Any:
    task = _first(index.get("results")).get("task")
    return task.get("type") if isinstance(task, dict) else None


def _text(value: Any) -> str | None:
    """A scalar field as text; lists, mappings and empty values are not a name."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None
    return str(value).strip() or None
