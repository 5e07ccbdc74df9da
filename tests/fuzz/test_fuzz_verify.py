"""Short fuzz runs of `verify`: the attestation envelope and statement parsers, and whole
report folders with a tampered attestation, certificate or PDF, which must get a verdict."""

from fuzz.short_run import short_run

test_fuzz_envelope = short_run("envelope", max_examples=300)
test_fuzz_statement = short_run("statement", max_examples=300)
test_fuzz_verify = short_run("verify", max_examples=120)
