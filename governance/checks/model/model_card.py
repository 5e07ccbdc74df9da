"""The model card's YAML front matter, parsed with line numbers so that a mistake in it is
reported at its line and key (the `---` line is line 1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.config.yaml_document import YamlDocument, parse_yaml_text
from governance.text_files import read_text_file


@dataclass(frozen=True)
class CardFrontMatter:
    data: dict[str, Any]
    document: YamlDocument


def card_front_matter(card: Path) -> CardFrontMatter | None:
    """The card's front matter, or None when it has none (a broken one is an `InputError`)."""
    lines = read_text_file(card, "model card").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    closing = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None
    )
    if closing is None:
        document = YamlDocument(path=card, data=None, positions={})
        raise document.error("the model card's front matter starts with '---' but never ends")
    block = "\n".join(["", *lines[1:closing]])  # the blank first line keeps line numbers
    if not block.strip():
        return None
    document = parse_yaml_text(block, card, "model card front matter")
    if not isinstance(document.data, dict):
        raise document.error("the model card's front matter is not a mapping of fields")
    return CardFrontMatter(data=document.data, document=document)
