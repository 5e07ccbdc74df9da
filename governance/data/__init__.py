"""Data access, in one place: datasets opened lazily, each file read at most once per audit."""
