"""Short fuzz runs of model loading and scoring: an edited skops or ONNX artifact is refused
(`InvalidModel`) or fails as it scores (`ModelFailed`); nothing else may come out."""

from fuzz.short_run import short_run

test_fuzz_skops = short_run("skops", max_examples=150)
test_fuzz_onnx = short_run("onnx", max_examples=150)
