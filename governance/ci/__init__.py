"""What CI systems need around an audit: GitHub annotations and a code-scanning copy of the
SARIF log, read from the report files the tool wrote (no audit runs here)."""
