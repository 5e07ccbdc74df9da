"""`governance init [DATA_FILE]`: a manifest, a policy extending the built-in packs and an
empty waivers file, with the data file's outcome and sensitive columns guessed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance.cli.error_handling import reports_errors
from governance.errors import UsageError

if TYPE_CHECKING:
    from governance.starter.column_roles import ColumnGuess
    from governance.starter.data_sample import SampledColumn


@reports_errors
def init_command(
    data_file: Annotated[
        Path | None, typer.Argument(help="A CSV, Parquet or JSON Lines file inside the folder.")
    ] = None,
    folder: Annotated[Path, typer.Option("--dir", help="Where to write the files.")] = Path("."),
) -> None:
    """Start an audit: write audit.yaml, policy.yaml and waivers.yaml.

    Columns are guessed from the data file's names and first rows. No file is ever
    overwritten: if one of the three exists, none is written."""
    from governance.starter.column_roles import guess_roles
    from governance.starter.data_sample import sample_columns
    from governance.starter.scaffold import MANIFEST, safe_name, starter_files, write_new
    from governance.text_escaping import escape_controls

    base = Path(os.path.realpath(folder))
    if not base.is_dir():
        raise UsageError(f"--dir {escape_controls(str(folder))} is not a folder")
    relative, guess = None, None
    if data_file is not None:
        relative = data_path_inside(data_file, base)
        guess = guess_roles(sample_columns(base / relative))
    files = starter_files(safe_name(base.name, "audit"), relative, guess)
    for path in write_new(base, files):
        print(f"wrote {escape_controls(str(path))}")
    if guess is not None:
        for line in guess_lines(guess):
            print(line)
    manifest = Path(folder) / MANIFEST
    print(
        f"check the guesses in {MANIFEST}, declare your model card and datasheets (its last "
        f"lines say how), then run: governance audit {manifest}"
    )


def data_path_inside(data_file: Path, base: Path) -> str:
    """The data file's path relative to `base`, which must hold it (links resolved): an audit
    reads only files inside its manifest's folder."""
    from governance.text_escaping import escape_controls

    real = Path(os.path.realpath(data_file))
    if not real.is_file():
        raise UsageError(f"{escape_controls(str(data_file))} is not a file")
    try:
        return real.relative_to(base).as_posix()
    except ValueError:
        raise UsageError(
            f"{escape_controls(str(data_file))} is outside {escape_controls(str(base))}, the "
            "folder the manifest is written to: an audit reads only files inside it",
            hint="copy the data file into the folder, or run governance init with --dir set to "
            "a folder that holds it",
        ) from None


def guess_lines(guess: ColumnGuess) -> list[str]:
    """What was guessed, with column names masked like every identifier in an output."""
    from governance.personal_data.identifiers import mask_identifier

    def shown(column: SampledColumn | None) -> str:
        return "not found" if column is None else mask_identifier(column.name)

    lines = [
        "guessed from the column names and a sample of rows:",
        f"  label:              {shown(guess.label)}",
        f"  prediction:         {shown(guess.prediction)}",
        f"  score:              {shown(guess.score)}"
        + (f" (threshold {guess.threshold}: values between 0 and 1)" if guess.threshold else ""),
        "  sensitive features: "
        + (", ".join(shown(c) for c in guess.sensitive_features) or "none found"),
    ]
    lines += [
        f"  not taken as a sensitive feature: {shown(c)} (too many values: group it into bands)"
        for c in guess.too_many_groups
    ]
    return lines
