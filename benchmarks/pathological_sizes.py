"""Pathological input sizes: a huge model card and a very wide CSV, each through a full
`governance audit` in a fresh process with the default formats (audit.json, summary.md,
report.pdf, SARIF, JUnit).

  card: a 4.3 MB model card with 200,000 headings (`## Part N`, a blank line and one line of
        text each, under one `#` title), audited against `builtin:baseline` (its seven
        model-card rules).
  wide: a 1,000-row CSV of 5,000 columns (sex, race, hired, predicted, score, then 4,995 filler
        columns cycling through integers 0-999, decimals, one of 8 category words, and one
        of 50 six-word comments), audited against `builtin:baseline`, `builtin:gdpr-pii` and
        `builtin:eeoc-four-fifths`.

Each prints the audit's wall time and its peak memory (max RSS of the child process, from
`resource.getrusage(RUSAGE_CHILDREN)`). Targets: the card under 5 s, the wide file under 20 s
and 1 GB (2-core machine).

Usage (from the repository root):
    PYTHONPATH=$PWD python benchmarks/pathological_sizes.py [--only card|wide] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20261129
CARD_HEADINGS = 200_000
WIDE_ROWS = 1_000
WIDE_COLUMNS = 5_000
_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def write_card_case(folder: Path) -> Path:
    card = folder / "MODEL_CARD.md"
    parts = ["---\nlicense: apache-2.0\n---\n\n# Model card\n\n"]
    parts += [f"## Part {i}\n\nText.\n" for i in range(CARD_HEADINGS)]
    card.write_text("".join(parts), encoding="utf-8")
    manifest = folder / "card.yaml"
    manifest.write_text(
        "name: huge-card\nmodel: {card: MODEL_CARD.md}\npolicies: [builtin:baseline]\n",
        encoding="utf-8",
    )
    return manifest


def write_wide_case(folder: Path) -> Path:
    rng = random.Random(SEED)
    sentences = [" ".join(rng.choices(_WORDS, k=6)) for _ in range(50)]
    fillers = WIDE_COLUMNS - 5
    header = ["sex", "race", "hired", "predicted", "score"] + [
        f"{('count', 'amount', 'category', 'comment')[i % 4]}_{i}" for i in range(fillers)
    ]
    lines = [",".join(header)]
    for _ in range(WIDE_ROWS):
        hired = rng.random() < 0.4
        row = [
            rng.choice(("Female", "Male")),
            rng.choice(("Asian", "Black", "Hispanic", "White")),
            str(int(hired)),
            str(int(rng.random() < (0.7 if hired else 0.2))),
            f"{rng.random():.4f}",
        ]
        for i in range(fillers):
            kind = i % 4
            if kind == 0:
                row.append(str(rng.randrange(1000)))
            elif kind == 1:
                row.append(f"{rng.uniform(0, 1e4):.2f}")
            elif kind == 2:
                row.append(rng.choice(_WORDS))
            else:
                row.append(sentences[rng.randrange(len(sentences))])
        lines.append(",".join(row))
    (folder / "wide.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = folder / "wide.yaml"
    manifest.write_text(
        "name: wide-table\n"
        "datasets:\n"
        "  wide:\n"
        "    path: wide.csv\n"
        "    label: hired\n"
        "    prediction: predicted\n"
        "    score: score\n"
        "    sensitive_features: [sex, race]\n"
        "policies: [builtin:baseline, builtin:gdpr-pii, builtin:eeoc-four-fifths]\n",
        encoding="utf-8",
    )
    return manifest


def measure(manifest: Path, out: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of `governance audit` in a fresh process."""
    command = [sys.executable, "-m", "governance", "audit", str(manifest), "--out", str(out)]
    command += ["--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"audit of {manifest.name} exited {done.returncode}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("card", "wide"))
    parser.add_argument("--keep", type=Path, help="write the inputs and reports here")
    args = parser.parse_args(argv)
    if args.only is None:
        # Peak RSS of children is a high-water mark over all of them: each case runs under a
        # fresh process of its own, so the figure printed is that case's alone.
        for name in ("card", "wide"):
            extra = ["--keep", str(args.keep)] if args.keep else []
            subprocess.run([sys.executable, __file__, "--only", name, *extra], check=True)
        return 0
    write = {"card": write_card_case, "wide": write_wide_case}[args.only]
    with tempfile.TemporaryDirectory(prefix="governance-sizes-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        before = {p: p.stat().st_size for p in folder.iterdir() if p.is_file()}
        manifest = write(folder)
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file() and p not in before)
        seconds, peak, code = measure(manifest, folder / f"reports-{args.only}")
    print(
        f"{args.only}: inputs {size / 1e6:.1f} MB, audit {seconds:.1f} s, "
        f"peak RSS {peak:,.0f} MB, exit {code}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
