"""Readable names for regulation controls: `eu-ai-act:art10(2)(f)` → EU AI Act, Art. 10(2)(f)."""

from __future__ import annotations

import re

_REGULATIONS = {
    "nyc-ll144": "NYC Local Law 144",
    "eu-ai-act": "EU AI Act",
    "gdpr": "GDPR",
    "eeoc": "EEOC Uniform Guidelines (29 CFR 1607)",
    "nist-ai-rmf": "NIST AI RMF 1.0",
    "iso-42001": "ISO/IEC 42001:2023 Annex A",
}
_ARTICLE = re.compile(r"^art(?:icle)?[-.]?\s*(\d+)(.*)$", re.IGNORECASE)
_ANNEX = re.compile(r"^annex-([ivxlc]+)(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^§?(\d+-\d+.*)$")


def regulation_name(control: str) -> str:
    """The regulation a control belongs to; the raw prefix when it is not a known one."""
    prefix = control.split(":", 1)[0] if ":" in control else ""
    return _REGULATIONS.get(prefix.lower(), prefix or "Other")


def clause_name(control: str) -> str:
    """The clause within its regulation, in the way the regulation writes it."""
    clause = control.split(":", 1)[1] if ":" in control else control
    if match := _ARTICLE.match(clause):
        return f"Art. {match[1]}{match[2]}"
    if match := _ANNEX.match(clause):
        return f"Annex {match[1].upper()} {match[2]}".rstrip()
    if match := _SECTION.match(clause):
        return f"§{match[1]}"
    return clause
