"""Generate the synthetic hiring-screen dataset of the example audit, deterministically.

Run from anywhere: `python examples/hiring/generate_data.py`. The same seed gives the same
bytes, so the committed `data/applicants.csv` can be checked against this script.

The data is invented. Contact addresses use the reserved example.com/example.org domains and
phone numbers the fictional 555-01xx range. The screening model's prediction carries a
deliberate disparity against one group so the fairness rules have something to find.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 20261126
ROWS = 4000
OUTPUT = Path(__file__).resolve().parent / "data" / "applicants.csv"

SEXES = (("Female", 0.47), ("Male", 0.50), ("Unknown", 0.03))
RACES = (
    ("White", 0.40),
    ("Black or African American", 0.17),
    ("Hispanic or Latino", 0.19),
    ("Asian", 0.14),
    ("Two or More Races", 0.05),
    ("Native Hawaiian or Pacific Islander", 0.015),
    ("Unknown", 0.035),
)
AGE_BANDS = (("under 25", 0.18), ("25-39", 0.45), ("40-54", 0.27), ("55 and over", 0.10))
EDUCATION = ("High school", "Associate", "Bachelor", "Master", "Doctorate")
NOTES = (
    "Strong Python and SQL background; good communication in the phone screen.",
    "Referred by a current employee. Portfolio shows relevant analytics work.",
    "Relocating next quarter; flexible on start date.",
    "Career changer from logistics; completed a data bootcamp.",
    "Led a small team at a previous employer; wants an individual contributor role.",
    "Asked about remote work options and the on-call rotation.",
    "",
)
# A few notes carry contact details that should never sit in a free-text column.
PII_NOTES = (
    "Candidate asked to be reached at {email} instead of the portal.",
    "Left a voicemail; call back on 212-555-01{phone:02d} after 5pm.",
    "Second email on file: {email}; mobile (646) 555-01{phone:02d}.",
)
PII_NOTE_EVERY = 97
DISADVANTAGED_GROUP = "Black or African American"
DISPARITY_PENALTY = 0.12


def _choice(
    rng: np.random.Generator, table: tuple[tuple[str, float], ...], size: int
) -> np.ndarray:
    names = [name for name, _ in table]
    weights = np.array([weight for _, weight in table])
    return rng.choice(names, size=size, p=weights / weights.sum())


def rows(seed: int = SEED, count: int = ROWS) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    sex = _choice(rng, SEXES, count)
    race = _choice(rng, RACES, count)
    age = _choice(rng, AGE_BANDS, count)
    experience = np.clip(rng.gamma(2.2, 2.8, count), 0, 40).round(1)
    education = rng.choice(EDUCATION, size=count, p=[0.15, 0.12, 0.45, 0.23, 0.05])
    skill = rng.normal(0.0, 1.0, count)
    merit = (
        0.35 * skill
        + 0.04 * experience
        + 0.08 * np.array([EDUCATION.index(level) for level in education])
    )
    qualified_probability = 1 / (1 + np.exp(-(merit - 0.55) * 2.2))
    hired = (rng.random(count) < qualified_probability).astype(int)
    score = np.clip(qualified_probability + rng.normal(0, 0.12, count), 0, 1)
    score = np.where(race == DISADVANTAGED_GROUP, score - DISPARITY_PENALTY, score).clip(0, 1)
    predicted = (score >= 0.5).astype(int)
    note_index = rng.integers(0, len(NOTES), count)
    result = []
    for i in range(count):
        applicant = f"A{100000 + i}"
        note = NOTES[note_index[i]]
        if i % PII_NOTE_EVERY == 13:
            template = PII_NOTES[(i // PII_NOTE_EVERY) % len(PII_NOTES)]
            note = template.format(email=f"applicant.{i}@example.org", phone=i % 100)
        result.append(
            {
                "applicant_id": applicant,
                "sex": sex[i],
                "race_ethnicity": race[i],
                "age_band": age[i],
                "years_experience": f"{experience[i]:.1f}",
                "education": education[i],
                "contact_email": f"{applicant.lower()}@example.com",
                "notes": note,
                "score": f"{score[i]:.4f}",
                "predicted": int(predicted[i]),
                "hired": int(hired[i]),
            }
        )
    return result


def write(path: Path = OUTPUT) -> Path:
    data = rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(data[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    print(f"wrote {write(target)}")
