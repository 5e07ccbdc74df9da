"""The `documentation` check: required sections and front-matter fields in Markdown documents."""
