"""The `pii` check: personal data found in dataset columns with presidio, judged against rules.

Flow: `spec` (what the rule asks) → `check` (which datasets and columns) → `column_values`
(distinct values from the data store, sampled) → `scanner` (presidio, per process, on both
cores) → `false_positives` and `masking` (inside the scanner: nothing raw leaves it) →
`statistics` → `evidence` and findings.
"""
