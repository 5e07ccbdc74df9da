"""Short fuzz runs of the YAML reader, the manifest (with its policies and waivers), a policy
file and a waivers file: only `GovernanceError` may come out."""

from fuzz.short_run import short_run

test_fuzz_yaml = short_run("yaml", max_examples=300)
test_fuzz_manifest = short_run("manifest", max_examples=250)
test_fuzz_policy = short_run("policy", max_examples=250)
test_fuzz_waivers = short_run("waivers", max_examples=250)
