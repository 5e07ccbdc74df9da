"""Start-up benchmark: the wall time a user waits for the light commands and the example audit.

    python benchmarks/startup.py [--runs 10] [--python .venv/bin/python]

Times, as whole commands in fresh processes (what a user or a CI step waits for):
`governance --help`, `governance policies validate examples/hiring/hiring-policy.yaml` and the
example's json-only audit (`governance audit examples/hiring/audit.yaml --format json --out
DIR`). Prints the best and the median of `--runs` runs of each (wall time, and the CPU time
of the command and its child processes, which a shared machine inflates less), the machine's
load average before and after, and the calibration loop's time (10^7 Python additions) so
that runs on a shared or drifting machine can be compared. One unmeasured run of each comes
first: it writes the bytecode caches, as installing the package does (set
PYTHONDONTWRITEBYTECODE to measure compiling every module on every run instead).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "hiring"


def commands(out: Path) -> dict[str, list[str]]:
    return {
        "governance --help": ["--help"],
        "policies validate": ["policies", "validate", str(EXAMPLE / "hiring-policy.yaml")],
        "audit --format json": [
            "audit",
            str(EXAMPLE / "audit.yaml"),
            "--format",
            "json",
            "--out",
            str(out),
            "--force",
        ],
    }


def run_once(python: str, arguments: list[str]) -> tuple[float, float]:
    """The command's wall time and CPU time (user and system, its child processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        [python, "-m", "governance", *arguments], cwd=ROOT, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in (0, 1):  # 1: the example's gate fails, by design
        sys.exit(f"`governance {' '.join(arguments)}` failed:\n{completed.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def calibration() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="governance-startup-")) / "reports"
    try:
        load_before = os.getloadavg()
        loop = calibration()
        print(f"load average {load_before[0]:.2f} · calibration loop {loop:.2f} s")
        print(f"{'command':<22} {'best s':>7} {'median s':>9} {'CPU best':>9} {'CPU med':>8}  runs")
        for name, arguments in commands(out).items():
            run_once(args.python, arguments)  # bytecode caches written, files warm
            runs = [run_once(args.python, arguments) for _ in range(args.runs)]
            wall, cpu = [w for w, _ in runs], [c for _, c in runs]
            print(
                f"{name:<22} {min(wall):>7.3f} {statistics.median(wall):>9.3f} "
                f"{min(cpu):>9.3f} {statistics.median(cpu):>8.3f}  {args.runs}"
            )
        load_after = os.getloadavg()
        print(f"load average after {load_after[0]:.2f}")
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
