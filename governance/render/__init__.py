"""Renderers: pure functions from an `AuditResult` to the text or bytes of one format."""
