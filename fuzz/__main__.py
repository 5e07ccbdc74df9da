"""`python -m fuzz --target NAME --seconds N`: the long fuzz run of one target (or all).

With `--engine atheris` (install the `fuzz` extra), libFuzzer drives hypothesis' input
generation with coverage feedback and stops at the first unexpected exception."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--target", default="all", help="a target name, or 'all' (in turn)")
    parser.add_argument("--seconds", type=float, default=300.0, help="per target")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--save", type=Path, help="write each finding's input and traceback here")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    args = parser.parse_args(argv)
    if args.engine == "atheris":
        from fuzz.atheris_engine import run_atheris

        return run_atheris(args.target, args.seconds)
    from fuzz.registry import TARGETS

    if args.list:
        for target in TARGETS.values():
            print(f"{target.name:<10} {target.summary}")
        return 0
    names = list(TARGETS) if args.target == "all" else [args.target]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r} (targets: {', '.join(TARGETS)})")
    return max(_long_run(TARGETS[name], args.seconds, args.save) for name in names)


def _long_run(target: object, seconds: float, save: Path | None) -> int:
    from fuzz.long_run import RunSummary, run_for
    from fuzz.registry import FuzzTarget

    assert isinstance(target, FuzzTarget)

    def progress(summary: RunSummary) -> None:
        print(
            f"  {summary.target}: {summary.inputs} inputs in {summary.seconds:.0f} s, "
            f"{len(summary.findings)} findings",
            flush=True,
        )

    summary = run_for(target, seconds, progress)
    print(
        f"{summary.target}: {summary.inputs} inputs in {summary.seconds:.0f} s "
        f"({summary.inputs / max(summary.seconds, 1e-9):.1f}/s), {len(summary.findings)} findings"
    )
    for index, (key, finding) in enumerate(summary.findings.items(), start=1):
        print(f"  [{index}] {finding.kind} at {finding.where} ({summary.repeats[key]} inputs)")
        print(f"      first input: {finding.example[:300]}")
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            text = f"{finding.kind} at {finding.where}\n\n{finding.example}\n\n{finding.detail}"
            (save / f"{target.name}-{index}.txt").write_text(
                text, encoding="utf-8", errors="replace"
            )
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
