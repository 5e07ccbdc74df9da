"""Check kinds: each a class satisfying `checks.interface.Check`, listed in `checks.registry`
with its spec and evidence."""
