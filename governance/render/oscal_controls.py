"""How a control a rule cites is named in OSCAL: a rule carries `framework:item`
(`eu-ai-act:annex-iv(2)(d)`), OSCAL a token (letters, digits, `.`, `-`, `_`). This one function
is the mapping, so that it can follow a control catalog's own identifiers when there is one."""

from __future__ import annotations

import re

_SUB_POINT = re.compile(r"\(([^()]*)\)")
_NOT_TOKEN = re.compile(r"[^\w.\-]", re.ASCII)


def oscal_control_id(control: str) -> str:
    """`eu-ai-act:annex-iv(2)(d)` → `eu-ai-act_annex-iv.2.d`; `gdpr:art9` → `gdpr_art9`."""
    token = _SUB_POINT.sub(r".\1", control.strip()).replace(":", "_")
    token = _NOT_TOKEN.sub("-", token)
    return token if token[:1].isalpha() or token[:1] == "_" else f"_{token}"
