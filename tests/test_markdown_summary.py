"""summary.md: text from inputs is inert Markdown."""

from __future__ import annotations

from governance.render.templating import markdown_text


def test_input_text_cannot_inject_html_links_or_table_cells():
    hostile = "<script>alert(1)</script> [click](http://x) a|b `code` *bold*"
    escaped = markdown_text(hostile)
    assert "<script>" not in escaped
    assert "\\[click\\](http://x)" in escaped
    assert "a\\|b" in escaped
    assert "\\`code\\`" in escaped
    assert markdown_text("line\nbreak") == "line break"
    assert markdown_text("Tom & Jerry (1940)") == "Tom &amp; Jerry (1940)"
