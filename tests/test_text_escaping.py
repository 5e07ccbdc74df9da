"""`escape_controls`: untrusted text shown on one line, as the reader's terminal will show it."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from governance.text_escaping import escape_controls


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("CN=Mallory\nVERIFIED: 8 passed", "CN=Mallory\\nVERIFIED: 8 passed"),
        ("a\rb\tc", "a\\rb\\tc"),
        ("bell\x07 escape\x1b[31m delete\x7f", "bell\\x07 escape\\x1b[31m delete\\x7f"),
        ("next line\x85", "next line\\x85"),  # C1 control: a line break to some terminals
        ("exe.\u202etxt", "exe.\\u202etxt"),  # right-to-left override
        (
            "\u2066isolate\u2069 \u200emark\u200f \u061c",
            "\\u2066isolate\\u2069 \\u200emark\\u200f \\u061c",
        ),
        ("line\u2028paragraph\u2029", "line\\u2028paragraph\\u2029"),
    ],
)
def test_controls_are_shown_as_escapes(text: str, shown: str) -> None:
    assert escape_controls(text) == shown


def test_ordinary_text_is_kept_as_it_is() -> None:
    text = "Zoë Ångström, 日本語, C:\\reports, family 👩\u200d👩\u200d👧, soft\u00adhyphen"
    assert escape_controls(text) == text


def test_no_escaped_text_holds_a_line_break_or_a_bidirectional_control() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    shown = escape_controls(every)
    assert shown.splitlines() == [shown]
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Zl", "Zp")]
    assert not [c for c in shown if unicodedata.bidirectional(c) in _BIDI_CONTROL_CLASSES]


_BIDI_CONTROL_CLASSES = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
