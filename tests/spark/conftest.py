"""One local Spark (`local[2]`) for the whole test run: starting its JVM takes seconds.

The tests that need pyspark skip when it is not installed (CI installs the `spark` extra, so
they run there); those of the manifest and of the errors before Spark starts run everywhere."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

MASTER = "local[2]"
_SOCKETS = {
    (socket.socket, "connect"): socket.socket.connect,
    (socket.socket, "connect_ex"): socket.socket.connect_ex,
    (socket, "create_connection"): socket.create_connection,
    (socket, "getaddrinfo"): socket.getaddrinfo,
}
"""The socket functions as they are when the tests are collected, before any test runs."""


@pytest.fixture(scope="session", autouse=True)
def loopback_allowed() -> Iterator[None]:
    """Spark's driver talks to its JVM, its Python workers and a Spark Connect server over
    loopback. The PII tests refuse the network for the rest of the session once they have run
    (their fixture is session-wide); these tests get the socket functions back, and nothing
    they do leaves the machine (every master they name is local)."""
    patch = pytest.MonkeyPatch()
    for (owner, name), function in _SOCKETS.items():
        patch.setattr(owner, name, function)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def spark(loopback_allowed: None) -> Any:
    pytest.importorskip("pyspark")
    from governance.data.spark.session import spark_session

    os.environ.setdefault("GOVERNANCE_SPARK_MASTER", MASTER)
    return spark_session(
        MASTER,
        {
            "spark.sql.shuffle.partitions": "4",
            "spark.sql.execution.arrow.pyspark.enabled": "true",
        },
        None,
    )
