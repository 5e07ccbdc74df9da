"""The audit engine: runs every rule through its check and collects an `AuditResult`."""
