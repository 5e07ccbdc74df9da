"""The jinja2 environment for report templates: autoescaping on, no access to Python internals."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.render.control_names import clause_name, regulation_name
from governance.render.line_breaks import breakable
from governance.resources import resource_dir

# Brackets are escaped, so parentheses can never form a link and need no escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_text(value: object) -> str:
    """Text from inputs made inert in Markdown: no HTML, no links, no table breaks."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@cache
def template_environment() -> ImmutableSandboxedEnvironment:
    """Templates render values from inputs (headings, column names); the sandbox and
    autoescaping keep `{{ 7*7 }}` or `<script>` in those values inert."""
    environment = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(resource_dir("templates")),
        autoescape=select_autoescape(["html", "htm", "xml", "html.j2", "xml.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = markdown_text
    environment.filters["breakable"] = breakable
    environment.filters["regulation"] = regulation_name
    environment.filters["clause"] = clause_name
    return environment
