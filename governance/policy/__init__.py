"""Policies: rules parsed from YAML into immutable values, composed with `extends:`."""
