"""Facts about the run recorded in the result: the audit date and the software versions."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import platform
import unicodedata
from importlib import metadata

from governance.engine.result import ToolInfo
from governance.errors import UsageError

DISTRIBUTION = "governance-audit"
"""This project's distribution name (`governance` on PyPI is an unrelated project); the import
package and the command are `governance`."""

RECORDED_LIBRARIES = (
    # reading the inputs
    "pydantic",
    "PyYAML",
    "markdown-it-py",
    "markdown-it-pyrs",
    "duckdb",
    "pandas",
    "pyarrow",
    # the figures: counts, rates, intervals, p-values, PII bounds
    "numpy",
    "scipy",
    "fairlearn",
    "presidio-analyzer",
    # the model's predictions and scores, and the pickle scan
    "scikit-learn",
    "skops",
    "onnxruntime",
    "fickling",
    # the reports' bytes
    "jinja2",
    "weasyprint",
    "pydyf",
    "fonttools",
    "pillow",
    "cyclonedx-python-lib",
    # the signature and the attestation
    "pyHanko",
    "pyhanko-certvalidator",
    "cryptography",
    "asn1crypto",
)
"""Every library that shaped a number or a byte of the reports, recorded with its version
when installed; spaCy and its model are added when the audit uses a model for PII."""


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


RUN_BY_VARIABLE = "GOVERNANCE_RUN_BY"
_RUN_BY_LIMIT = 200


def audit_runner(given: str | None) -> str | None:
    """Who runs the audit, for the report's cover: the name given (`--run-by`, `run_by=`),
    else the `GOVERNANCE_RUN_BY` variable (a CI job can name its pipeline), else the login name
    (left out when it is not a plain name); None when none of them says. An empty name records
    nothing."""
    if given is None and RUN_BY_VARIABLE not in os.environ:
        login = _login_name()
        return login if login is not None and _plain(login) else None
    source = "--run-by" if given is not None else RUN_BY_VARIABLE
    name = (given if given is not None else os.environ[RUN_BY_VARIABLE]).strip()
    if not _plain(name):
        raise UsageError(
            f"{source} must be one line of text without control characters, at most "
            f"{_RUN_BY_LIMIT} characters"
        )
    return name or None


def _plain(name: str) -> bool:
    # Control characters and line or paragraph separators are refused; format characters
    # (a zero-width non-joiner in a Persian name) are not.
    return len(name) <= _RUN_BY_LIMIT and not any(
        unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in name
    )


def _login_name() -> str | None:
    try:
        return getpass.getuser() or None
    except (OSError, KeyError):  # no login name and no password-file entry (some containers)
        return None


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


def tool_version() -> str:
    """The installed distribution's version (what `--version` prints and every result
    records)."""
    return _version(DISTRIBUTION) or "0+unknown"


def tool_info(nlp_model: str | None = None) -> ToolInfo:
    """The versions of the tool, of Python and of `RECORDED_LIBRARIES`, plus the spaCy
    model `nlp_model` with spaCy itself when the audit uses one."""
    libraries = {name: v for name in RECORDED_LIBRARIES if (v := _version(name)) is not None}
    if nlp_model is not None:
        for name, label in (("spacy", "spacy"), (nlp_model, f"spaCy model {nlp_model}")):
            if (version := _version(name)) is not None:
                libraries[label] = version
    return ToolInfo(
        version=tool_version(),
        python=platform.python_version(),
        platform=f"{platform.system()}-{platform.machine()}",
        libraries=libraries,
    )
