"""The audited model: loaded from `model.artifact` through formats that run no code (skops with
its untrusted-type check, ONNX), and run over a dataset in bounded batches to give the
predictions and scores the checks read, bound to the artifact's sha256."""
