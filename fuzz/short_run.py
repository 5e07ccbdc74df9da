"""The short, deterministic run of a target that the test suite collects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings

from fuzz.registry import TARGETS


def short_run(name: str, max_examples: int) -> Callable[[], None]:
    """A pytest test feeding target `name` the same `max_examples` inputs on every run
    (derandomized, no example database, no deadline: never flaky, never timing-dependent).
    An unexpected exception fails it with the shrunk input that raised it."""
    target = TARGETS[name]

    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target.inputs())
    def test(value: Any) -> None:
        target.run(value)

    test.__name__ = f"test_fuzz_{name}"
    result: Callable[[], None] = test
    return result
