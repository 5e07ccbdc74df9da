"""The long run: hypothesis generating inputs for one target until time is up, collecting
every distinct unexpected exception (and every slow input) instead of stopping at the first."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from fuzz.registry import FuzzTarget

SLOW_SECONDS = 5.0
"""An input that takes longer than this is reported: a parser should not take seconds on a
small file (catastrophic regex backtracking, quadratic loops)."""
_BATCH = 200


@dataclass(frozen=True)
class Finding:
    kind: str
    """The exception type, or `slow`."""
    where: str
    """The innermost frame of the tool's code (file:line), or of any code."""
    example: str
    """`repr` of the first input that raised it."""
    detail: str


@dataclass
class RunSummary:
    target: str
    inputs: int = 0
    seconds: float = 0.0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    repeats: dict[tuple[str, str], int] = field(default_factory=dict)

    def record(self, finding: Finding) -> None:
        key = (finding.kind, finding.where)
        self.repeats[key] = self.repeats.get(key, 0) + 1
        self.findings.setdefault(key, finding)


def run_for(
    target: FuzzTarget, seconds: float, progress: Callable[[RunSummary], None]
) -> RunSummary:
    """Feed `target` generated inputs for `seconds`; report progress about every 10 seconds."""
    summary = RunSummary(target.name)
    start = time.monotonic()
    deadline = start + seconds
    last_report = start

    @settings(
        max_examples=_BATCH,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(target.inputs())
    def batch(value: Any) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now > deadline:
            return
        summary.inputs += 1
        _run_one(target, value, summary)
        if now - last_report > 10:
            last_report = now
            summary.seconds = now - start
            progress(summary)

    while time.monotonic() < deadline:
        batch()
    summary.seconds = time.monotonic() - start
    return summary


def _run_one(target: FuzzTarget, value: Any, summary: RunSummary) -> None:
    began = time.perf_counter()
    try:
        target.run(value)
    except Exception as error:
        summary.record(
            Finding(
                type(error).__name__,
                _where(error),
                _short(repr(value)),
                "".join(traceback.format_exception(error)),
            )
        )
    elapsed = time.perf_counter() - began
    if elapsed > SLOW_SECONDS:
        summary.record(Finding("slow", f"{elapsed:.1f} s", _short(repr(value)), ""))


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/governance/" in f.filename] or list(frames)
    frame = ours[-1]
    return f"{frame.filename.rsplit('/governance/', 1)[-1]}:{frame.lineno}"


def _short(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"
