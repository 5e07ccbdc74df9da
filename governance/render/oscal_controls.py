"""How a control a rule cites is named in OSCAL: a rule carries `framework:item`
(`eu-ai-act:annex-iv(2)(d)`), OSCAL a token (letters, digits, `.`, `-`, `_`). This module is
the mapping, so that it can follow a control catalog's own identifiers when there is one."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

_SUB_POINT = re.compile(r"\(([^()]*)\)")
_NOT_TOKEN = re.compile(r"[^\w.\-]", re.ASCII)


def oscal_control_id(control: str) -> str:
    """`eu-ai-act:annex-iv(2)(d)` → `eu-ai-act_annex-iv.2.d`; `gdpr:art9` → `gdpr_art9`."""
    token = _SUB_POINT.sub(r".\1", control.strip()).replace(":", "_")
    token = _NOT_TOKEN.sub("-", token)
    return token if token[:1].isalpha() or token[:1] == "_" else f"_{token}"


def oscal_control_ids(controls: Iterable[str]) -> Mapping[str, str]:
    """The token of each of `controls` within one document: `oscal_control_id`, except where
    two controls would share a token (`a§1` and `a-1`, or `gdpr:art9` and `gdpr_art9`, when a
    policy's own catalog names both): those get a suffix from a digest of the control as
    written, so that no two controls are ever reported as one."""
    by_token: dict[str, list[str]] = defaultdict(list)
    for control in dict.fromkeys(controls):
        by_token[oscal_control_id(control)].append(control)
    tokens: dict[str, str] = {}
    for token, named in by_token.items():
        for control in named:
            if len(named) == 1:
                tokens[control] = token
            else:
                digest = hashlib.sha256(control.encode("utf-8", "surrogatepass")).hexdigest()
                tokens[control] = f"{token}.{digest[:16]}"
    return tokens
