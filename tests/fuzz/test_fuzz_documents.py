"""Short fuzz runs of the Markdown section parser on model cards and datasheets, and of the
Croissant reader."""

from fuzz.short_run import short_run

test_fuzz_markdown = short_run("markdown", max_examples=300)
test_fuzz_croissant = short_run("croissant", max_examples=300)
