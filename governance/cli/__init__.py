"""The `governance` command line (typer)."""
