"""A copy of a SARIF log for GitHub code scanning, whose paths are relative to the repository.

The tool writes paths relative to the manifest's folder (`uriBaseId: MANIFEST_DIR`); code
scanning places a result by its path from the repository's root, so a manifest in a sub-folder
would put every alert on the wrong file. The copy joins each path to the folder and drops the
base id; the report folder itself is left as written (it may be signed).

`python -m governance.ci.code_scanning report.sarif --base examples/hiring --out scan.sarif`
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from governance.ci.annotations import read_sarif, repository_path


def rebased(log: dict[str, Any], base: str) -> dict[str, Any]:
    """`log` with every location's path made relative to the repository's root."""
    copied = copy.deepcopy(log)
    for run in copied.get("runs", []):
        run.pop("originalUriBaseIds", None)
        for result in run.get("results", []):
            for location in result.get("locations", []):
                artifact = location.get("physicalLocation", {}).get("artifactLocation")
                if artifact and "uri" in artifact and artifact.pop("uriBaseId", None):
                    artifact["uri"] = quote(repository_path(artifact["uri"], base))
    return copied


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m governance.ci.code_scanning",
        description="Write a copy of a SARIF log with paths from the repository's root.",
    )
    parser.add_argument("sarif", type=Path, help="report.sarif written by governance audit")
    parser.add_argument("--base", default=".", help="the manifest's folder [default: .]")
    parser.add_argument("--out", type=Path, required=True, help="the file to write")
    arguments = parser.parse_args(argv)
    log = read_sarif(arguments.sarif)
    if log is None:
        return 2
    text = json.dumps(rebased(log, Path(arguments.base).as_posix()), indent=2, ensure_ascii=False)
    arguments.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
