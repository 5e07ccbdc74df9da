"""`governance init`: a first manifest, policy and waivers file for a dataset, with its outcome
and sensitive-feature columns guessed from a sample."""
