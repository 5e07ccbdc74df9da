"""Short fuzz run of the Markdown section parser on model cards and datasheets."""

from fuzz.short_run import short_run

test_fuzz_markdown = short_run("markdown", max_examples=300)
