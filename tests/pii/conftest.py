"""Fixtures for the pii tests: no network for the whole session, one shared analyzer."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from governance.personal_data.analyzer import AnalyzerConfig, shared_analyzer


class NetworkAttempted(BaseException):  # noqa: N818
    """A BaseException, so no library's `except Exception` fallback can swallow it."""


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[list[str]]:
    """Any network attempt during the session fails loudly, and is recorded: the session
    fails at the end if the list of attempts is not empty."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise NetworkAttempted(f"network access attempted: {args[:2]!r}")

    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", refuse)
    patch.setattr(socket.socket, "connect_ex", refuse)
    patch.setattr(socket, "create_connection", refuse)
    patch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    patch.undo()
    assert not attempts, f"network was attempted: {attempts}"


@pytest.fixture(scope="session")
def analyzer(no_network: list[str]) -> Any:
    """The offline analyzer, built once for the session (every scan in-process shares it)."""
    return shared_analyzer(AnalyzerConfig())
