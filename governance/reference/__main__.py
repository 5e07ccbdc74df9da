"""`python -m governance.reference [FOLDER]`: regenerate the published schemas and
`docs/reference.md` from the models, in the source tree this package was imported from (or
under FOLDER)."""

from __future__ import annotations

import sys
from pathlib import Path

from governance.reference.published import write_generated_files

SOURCE_TREE = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else SOURCE_TREE
    if not argv and not (SOURCE_TREE / "pyproject.toml").is_file():
        print("error: run this from a source checkout (an editable install)", file=sys.stderr)
        return 2
    for path in write_generated_files(target):
        print(f"wrote {path.relative_to(target).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
