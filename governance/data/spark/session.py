"""The Spark session of an audit: where it runs (the command line, then the environment, then
the manifest's `spark:` block, else `local[*]`), started once per process, and every way it can
fail to start turned into one clear error naming the manifest line, in bounded time."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sys
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from governance.data.spark.allowance import is_allowed, is_local_master
from governance.errors import InputError, SourceLocation

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL_LINE = "pip install 'governance-audit[spark]'"
INSTALL_FROM_CLONE = "pip install '.[spark]'"
DEFAULT_MASTER = "local[*]"
CONNECT_TIMEOUT_SECONDS = 10.0
"""How long a cluster master or Spark Connect server has to accept a connection."""
_SESSION_CONF = {
    # The CLI draws its own progress; Spark's UI server is a port nobody asked to open.
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
    # Off, so that a table name is only ever a table: with it on, `csv.name` or `text.name`
    # reads the file `name` from the working directory (a manifest's `table:` would read a
    # file outside the audit's folder).
    "spark.sql.runSQLOnFiles": "false",
}
_MASTER_PORTS = {"spark": 7077, "sc": 15002}
_LOG_CONFIGURATION = Path(__file__).with_name("log4j2.properties")


@dataclass(frozen=True)
class SparkOptions:
    """What the command line (or the Python API) says about Spark, over the manifest."""

    master: str | None = None
    """`--spark-master`: `local[2]`, `spark://host:7077`, `sc://host:15002`, ..."""
    allowed_uris: tuple[str, ...] = ()
    """`--spark-allow-uri`: prefixes under which a manifest's `uri:` may point."""
    conf: Mapping[str, str] = field(default_factory=dict)
    """Settings the user (not the manifest) makes; any Spark setting."""


def resolve_master(
    options: SparkOptions,
    manifest_master: str | None,
    location: SourceLocation | None,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The master: the command line's, else `SPARK_REMOTE` (Spark Connect's own variable) or
    `GOVERNANCE_SPARK_MASTER`, else the manifest's (at `location`), else `local[*]`. A
    manifest's cluster must be allowed by the command line, as its URIs are."""
    for found in (
        options.master,
        environ.get("SPARK_REMOTE"),
        environ.get("GOVERNANCE_SPARK_MASTER"),
    ):
        if found:
            return found
    if not manifest_master:
        return DEFAULT_MASTER
    if not is_local_master(manifest_master) and not is_allowed(
        manifest_master, options.allowed_uris
    ):
        raise InputError(
            f"the manifest runs Spark on '{manifest_master}', which the command line does not "
            "allow",
            location=location,
            hint="allow it with --spark-allow-uri MASTER (allowed_uris= in the Python API) or "
            "name it with --spark-master: a manifest may come from an untrusted pull request, "
            "and a cluster receives the data it reads",
        )
    return manifest_master


def spark_session(
    master: str, conf: Mapping[str, str], location: SourceLocation | None
) -> SparkSession:
    """The process's Spark session on `master` (one is shared by every audit of a process:
    starting a JVM takes seconds), or an `InputError` at `location` saying why none starts."""
    builder = _builder(location)
    remote = master.startswith("sc://")
    if not remote:
        _require_java(location)
        # Local executors run this interpreter, which has the model's libraries and pyarrow.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    _require_reachable(master, location)
    builder = builder.remote(master) if remote else builder.master(master)
    if not remote:
        # The driver's JVM starts with its options from here (a setting made later is read
        # after its logging is configured): Spark's log lines stay out of the user's terminal.
        logging = f"-Dlog4j2.configurationFile={_LOG_CONFIGURATION.as_uri()}"
        options = shlex.join(["--driver-java-options", logging, "pyspark-shell"])
        os.environ.setdefault("PYSPARK_SUBMIT_ARGS", options)
    settings = {**_SESSION_CONF, **conf}
    if remote:
        # A Spark Connect session is the server's: a client sets only SQL settings.
        settings = {k: v for k, v in settings.items() if k.startswith("spark.sql.")}
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session: SparkSession = builder.getOrCreate()
    except Exception as error:  # pyspark raises its own and py4j's errors, no common root
        raise InputError(
            f"Spark could not start on '{master}': {_first_line(error)}",
            location=location,
            hint="check the master URL and that the cluster accepts this client",
        ) from None
    if not remote:
        session.sparkContext.setLogLevel("OFF")
    return session


def _builder(location: SourceLocation | None) -> Any:
    # pyspark warns about the pandas version it is imported beside; the audit uses no pandas
    # from Spark (only Arrow), and the warning would be printed on every run.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            "this dataset is read by Spark, and pyspark is not installed",
            location=location,
            hint=f"install the Spark extra: {INSTALL_LINE} ({INSTALL_FROM_CLONE} in a clone), "
            "and Java 17",
        ) from None
    return SparkSession.builder


def java_executable(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The `java` Spark would start: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else the one
    on PATH."""
    home = environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return java if java.is_file() and os.access(java, os.X_OK) else None
    found = shutil.which("java", path=environ.get("PATH"))
    return Path(found) if found else None


def _require_java(location: SourceLocation | None) -> None:
    if java_executable() is not None:
        return
    home = os.environ.get("JAVA_HOME")
    where = f"JAVA_HOME ({home}) holds no bin/java" if home else "no java is on PATH"
    raise InputError(
        f"Spark needs Java 17 and {where}",
        location=location,
        hint="install Java 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME",
    )


def _require_reachable(master: str, location: SourceLocation | None) -> None:
    """A standalone master must accept a TCP connection, and a Spark Connect server also
    answer on it, within `CONNECT_TIMEOUT_SECONDS`: Spark's own clients retry for minutes
    before giving up. (A standalone master that accepts and never registers the application
    fails after Spark's own registration retries, about a minute.)"""
    parts = urlsplit(master)
    if parts.scheme not in _MASTER_PORTS:
        return
    host = parts.hostname or ""
    try:
        port = parts.port or _MASTER_PORTS[parts.scheme]
    except ValueError:
        raise InputError(f"Spark master '{master}' has no valid port", location=location) from None
    deadline = time.monotonic() + CONNECT_TIMEOUT_SECONDS
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS) as opened:
            if parts.scheme == "sc" and not _answers_grpc(opened, parts.path, deadline):
                raise ConnectionError(0, "it closed the connection without answering")
    except OSError as error:
        reason = "timed out" if isinstance(error, TimeoutError) else error.strerror or "refused"
        raise InputError(
            f"Spark master '{master}' cannot be reached ({reason})",
            location=location,
            hint="check the host and port, or run locally with --spark-master 'local[*]'",
        ) from None


_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
"""An HTTP/2 client's connection preface and an empty SETTINGS frame: a gRPC server answers
with its own SETTINGS frame."""


def _answers_grpc(opened: socket.socket, parameters: str, deadline: float) -> bool:
    """Whether the Spark Connect server on `opened` answers before `deadline` (a port that
    accepts and never answers would leave Spark's client retrying for many minutes). Over TLS
    (`;use_ssl=true`, or a `;token=`), any answer to the TLS handshake counts; raises
    `TimeoutError` when none comes."""
    opened.settimeout(max(deadline - time.monotonic(), 0.1))
    if "use_ssl=true" in parameters.lower() or "token=" in parameters.lower():
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with context.wrap_socket(opened, do_handshake_on_connect=True):
                return True
        except ssl.SSLError:  # it answered, in a way the real client will judge
            return True
    opened.sendall(_HTTP2_PREFACE)
    return opened.recv(1) != b""


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
