"""The reference of every key a user writes, generated from the models that read them: JSON
Schemas for editors and Markdown for people. `python -m governance.reference` regenerates
every published schema and `docs/reference.md`."""
