"""Every file generated from the models and published in the source tree: the JSON Schemas
(shipped in the wheel) and the Markdown reference."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from governance.reference.input_schemas import INPUT_FILES, render_input_schema
from governance.reference.markdown_reference import REGENERATE, render_reference
from governance.result_schema import render_schema

__all__ = ["REGENERATE", "generated_files", "write_generated_files"]


def generated_files() -> dict[PurePosixPath, str]:
    """Each generated file, by its path in the source tree, with the text it must hold."""
    files = {
        PurePosixPath("schemas", kind.schema_file): render_input_schema(kind)
        for kind in INPUT_FILES
    }
    files[PurePosixPath("schemas", "audit-result.schema.json")] = render_schema()
    files[PurePosixPath("docs", "reference.md")] = render_reference()
    return files


def write_generated_files(source_tree: Path) -> tuple[Path, ...]:
    """Write every generated file under `source_tree` (the repository's top folder)."""
    written = []
    for relative, text in generated_files().items():
        target = source_tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return tuple(written)
