"""The `model` check: the model itself under audit, one sub-check per rule.

- `prohibited_inputs`: the model's input features (the manifest's `model.features`) include no
  sensitive feature of the datasets and no listed name, matched tolerantly (case, separators,
  camelCase, one-hot and encoder prefixes: `race_ethnicity_Black`).
- `proxies`: for every input feature and sensitive feature, the normalised mutual information
  (scikit-learn's `normalized_mutual_info_score`, arithmetic mean of the two entropies by
  default) from contingency counts the data engine computes in one operation; numeric features are
  cut into quantile bins by the engine. Rows whose sensitive value is unknown are left out; a
  missing feature value is a value of its own (missingness can itself be a proxy).
- `artifact`: the artifact's format, told by content, runs no code when loaded (skops, ONNX;
  never pickle/joblib unless a rule allows it), its size is under a limit, and its sha256 is
  pinned in the manifest or the model card's front matter and matches.
- `claims`: the model card's `model-index` results are measured again on the audit's dataset;
  a claim better than the measurement by more than a tolerance fails.
- `performance_floor`: an absolute bound on a rate in every group.
"""
