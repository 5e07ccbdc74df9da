"""libFuzzer (atheris) as the engine: coverage-guided bytes, turned into each target's
structured input by hypothesis (`fuzz_one_input`). Optional: `pip install '.[fuzz]'`."""

from __future__ import annotations

import sys
from typing import Any


def run_atheris(name: str, seconds: float) -> int:
    try:
        import atheris  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        print("atheris is not installed: pip install -e '.[fuzz]'", file=sys.stderr)
        return 2
    with atheris.instrument_imports(include=["governance"]):
        from fuzz.registry import TARGETS
    if name not in TARGETS:
        print(f"--engine atheris runs one target: {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    target = TARGETS[name]

    from hypothesis import HealthCheck, given, settings

    @settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(target.inputs())
    def one_input(value: Any) -> None:
        target.run(value)

    atheris.Setup(
        [sys.argv[0], f"-max_total_time={int(seconds)}", "-print_final_stats=1"],
        getattr(one_input, "hypothesis").fuzz_one_input,  # noqa: B009 - set by @given
    )
    atheris.Fuzz()
    return 0
