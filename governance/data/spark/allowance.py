"""Where a manifest may send Spark: a `uri:` it reads, or a cluster master it runs on, only
under a prefix the command line allows (`--spark-allow-uri`). A manifest may come from an
untrusted pull request: a location outside those prefixes would read data the audit was not
asked to read, and a master of its choosing would receive the data and the cluster's
credentials."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

HADOOP_GLOB = frozenset("{}[]*?\\")
"""Hadoop expands these in a path (`{a,../b}` names a location outside any prefix)."""


def is_allowed(location: str, prefixes: Iterable[str]) -> bool:
    """Whether `location` is one of `prefixes` or lies under one, by whole path segments
    (`s3a://lake/a` does not allow `s3a://lake/ab`), with no `.`/`..` segment (Hadoop
    normalizes them away) and no glob."""
    if any(character in HADOOP_GLOB for character in location):
        return False
    if any(segment in {".", ".."} for segment in urlsplit(location).path.split("/")):
        return False
    for prefix in prefixes:
        stem = prefix.rstrip("/")
        if stem and (location == stem or location.startswith(stem + "/")):
            return True
    return False


def is_local_master(master: str) -> bool:
    """`local`, `local[N]` or `local[*]`: Spark in this process, nothing leaves the machine."""
    return master == "local" or master.startswith("local[")
