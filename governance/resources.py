"""Where the built-in policy packs, report templates and schemas live, installed or not.

They sit at the top of the repository and are copied into the wheel under `_bundled/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `policies`, `templates` or `schemas`, from the wheel or from a source tree."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the installation lacks its '{name}' folder")
