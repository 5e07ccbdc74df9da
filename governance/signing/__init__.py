"""Signed audit reports: keys and certificates, the PAdES PDF signature, the in-toto attestation
in a DSSE envelope, and the checks `governance verify` runs on them."""
