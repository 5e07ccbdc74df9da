"""Control catalogs: the items of each framework (EU AI Act, NIST AI RMF, ISO/IEC 42001, ...)
that rules cite in `controls:`, with a one-line title each."""
