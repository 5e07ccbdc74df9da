"""Short fuzz runs of the CSV and JSON Lines readers: only `GovernanceError` may come out."""

from fuzz.short_run import short_run

test_fuzz_csv = short_run("csv", max_examples=100)
test_fuzz_jsonl = short_run("jsonl", max_examples=100)
