"""Finding and masking personal data: presidio configured offline, the masks reports show, and
the masking every identifier from the inputs goes through before it reaches an output."""
