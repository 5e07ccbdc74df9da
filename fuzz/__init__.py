"""Fuzzing harness for the loaders and parsers that read untrusted input.

Each target (`fuzz.registry.TARGETS`) feeds one entry point with generated input and lets only
the tool's own errors through: anything else escaping is a bug. The short run is part of the
test suite (`tests/fuzz/`); the long run is `python -m fuzz --target NAME --seconds N`.
"""
