"""What a check may use: the manifest, the datasets (read once) and the documents (parsed once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from governance.checks.documentation.markdown_sections import MarkdownDocument, parse_markdown
from governance.data.store import DatasetStore
from governance.engine.audit_resources import AuditResources
from governance.manifest import LoadedManifest
from governance.text_files import read_text_file


@dataclass
class DocumentCache:
    """Each Markdown document is read and parsed once per audit, whatever the number of rules."""

    _parsed: dict[Path, MarkdownDocument] = field(default_factory=dict)

    def markdown(self, path: Path) -> MarkdownDocument:
        key = path.resolve()
        if key not in self._parsed:
            self._parsed[key] = parse_markdown(read_text_file(path, "document"))
        return self._parsed[key]


@dataclass(frozen=True)
class CheckContext:
    manifest: LoadedManifest
    data: DatasetStore
    documents: DocumentCache
    resources: AuditResources = field(default_factory=AuditResources)
    """Built once per audit, shared by rules, closed when the audit ends."""
    nlp_model: str | None = None
    """The spaCy model the PII scanner may use (`--nlp-model`, else the manifest's)."""
