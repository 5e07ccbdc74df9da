"""Column names that suggest GDPR Art. 9 special-category data.

Art. 9 data (health, racial or ethnic origin, religion, politics, union membership, genetics,
biometrics, sex life or sexual orientation) is rarely a pattern a recognizer can find in the
values: "Catholic" or "diabetic" is an ordinary word. The column's name is the practical
signal, so the check flags such columns for review, and stays quiet about the ones the manifest
already declares (as `sensitive_features` or in `pii_columns`), which someone has reviewed.
"""

from __future__ import annotations

from governance.checks.pii.column_context import column_words

# A column word that starts with one of these stems suggests the category. `sex` and
# `gender` are deliberately absent: they are not Art. 9 data (sexual orientation is).
CATEGORY_STEMS: dict[str, tuple[str, ...]] = {
    "health data": (
        "health",
        "medical",
        "diagnos",
        "disease",
        "illness",
        "disabilit",
        "medication",
        "prescription",
        "pregnan",
        "hiv",
        "mental",
        "symptom",
        "treatment",
        "patient",
    ),
    "racial or ethnic origin": ("race", "racial", "ethnic"),
    "religious or philosophical beliefs": ("religio", "faith", "belief", "church"),
    "political opinions": ("politic",),
    "trade union membership": ("union",),
    "genetic data": ("genetic", "genom", "dna"),
    "biometric data": ("biometric", "fingerprint", "faceprint", "iris", "retina", "voiceprint"),
    "sex life or sexual orientation": ("sexual", "orientation", "sexlife"),
}


def special_category(column: str) -> str | None:
    """The Art. 9 category the column's name suggests, if any."""
    words = column_words(column)
    for category, stems in CATEGORY_STEMS.items():
        if any(word.startswith(stem) for word in words for stem in stems):
            return category
    return None
