"""`governance verify`: independent checks on a signed report, each with its own verdict."""
