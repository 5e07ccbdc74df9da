"""Facts about the run recorded in the result: the audit date and the software versions."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib import metadata

from governance.engine.result import ToolInfo
from governance.errors import UsageError

RECORDED_LIBRARIES = (
    "pydantic",
    "PyYAML",
    "markdown-it-py",
    "duckdb",
    "narwhals",
    "pandas",
    "pyarrow",
    "fairlearn",
    "presidio-analyzer",
    "jinja2",
    "weasyprint",
)


def audit_time() -> dt.datetime:
    """Now, or `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}"
        ) from None


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def waiver_day(audit_date: dt.datetime) -> dt.date:
    """The day waivers are judged on: the audit date, but never before today, so a pinned
    `SOURCE_DATE_EPOCH` in the past cannot bring an expired waiver back into force."""
    return max(audit_date.date(), utc_today())


def date_is_pinned() -> bool:
    """True when `SOURCE_DATE_EPOCH` fixes the audit date: a reproducible run."""
    return bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def tool_info() -> ToolInfo:
    libraries = {name: v for name in RECORDED_LIBRARIES if (v := _version(name)) is not None}
    return ToolInfo(
        version=_version("governance") or "0+unknown",
        python=platform.python_version(),
        platform=f"{platform.system()}-{platform.machine()}",
        libraries=libraries,
    )
