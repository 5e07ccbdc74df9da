"""Characters that can forge or hide text in an output, shown as visible escapes instead.

Control characters can end a line early (a signer name with a newline prints a fake
`VERIFIED:` line), and bidirectional overrides reorder what a reader sees
(`evil\u202egnp.exe` reads as `evilexe.png`). Every string from an input passes through here on
its way to an output, and the escape shows what was there: `\\n`, `\\x00`, `\\u202e`.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(
    f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
_UNSAFE_EXCEPT_LINES = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """`text` on one line, with every control, bidirectional-override, line-separator and
    lone-surrogate character replaced by a visible escape (`\\n`, `\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_escape, text)


def escape_controls_in_prose(text: str) -> str:
    """Like `escape_controls`, but newlines and tabs stay: for descriptions and remediation
    written over several lines, where a line break is formatting, not forgery."""
    return _UNSAFE_EXCEPT_LINES.sub(_escape, text.replace("\r\n", "\n"))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
